package dev.pocketbridge.common.internal;

/** Stable {@code code} members of problem details that more than one service emits. */
public final class ProblemCodes {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String NOT_FOUND = "not_found";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String CHALLENGE_INVALID = "challenge_invalid";
    public static final String SIGNATURE_INVALID = "signature_invalid";
    public static final String UNAVAILABLE = "unavailable";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    public static final String INTERNAL_ERROR = "internal_error";

    private ProblemCodes() {
    }
}
