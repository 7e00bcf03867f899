package dev.pocketbridge.auth;

/** Problem {@code code}s only auth-service emits (shared ones are in {@code common.internal.ProblemCodes}). */
public final class AuthProblemCodes {

    /** Unknown, revoked or inactive device, or a bad signature: deliberately indistinguishable. */
    public static final String AUTHENTICATION_FAILED = "authentication_failed";
    public static final String REFRESH_TOKEN_INVALID = "refresh_token_invalid";
    public static final String REFRESH_TOKEN_REUSED = "refresh_token_reused";
    /** The service token endpoint's errors, named as RFC 6749 §5.2 names them. */
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
    public static final String INVALID_SCOPE = "invalid_scope";

    private AuthProblemCodes() {
    }
}
