package dev.pocketbridge.auth;

/** Problem {@code code}s only auth-service emits (shared ones are in {@code common.internal.ProblemCodes}). */
public final class AuthProblemCodes {

    /** Unknown, revoked or inactive device, or a bad signature: deliberately indistinguishable. */
    public static final String AUTHENTICATION_FAILED = "authentication_failed";
    public static final String REFRESH_TOKEN_INVALID = "refresh_token_invalid";
    public static final String REFRESH_TOKEN_REUSED = "refresh_token_reused";

    private AuthProblemCodes() {
    }
}
