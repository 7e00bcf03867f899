package dev.pocketbridge.common.protocol;

/** The {@code code} of an {@code error} frame (§3). Wire strings never change. */
public enum ErrorCode {
    /** Unknown or revoked device, device of another user, or bad signature: deliberately one code. */
    AUTHENTICATION_FAILED("authentication_failed"),
    /** A frame that is not JSON, has no known {@code type}, or comes at the wrong point of the session. */
    PROTOCOL_ERROR("protocol_error"),
    UNSUPPORTED_PROTOCOL_VERSION("unsupported_protocol_version"),
    HANDSHAKE_TIMEOUT("handshake_timeout"),
    /** A well-formed request with a bad value, such as a replay {@code limit} above the maximum. */
    INVALID_REQUEST("invalid_request"),
    /** More than this server allows at once or in a period, such as a second replay in flight; the connection stays open. */
    RATE_LIMITED("rate_limited"),
    /** A dependency did not answer; retry with backoff. */
    UNAVAILABLE("unavailable"),
    INTERNAL_ERROR("internal_error");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
