package dev.pocketbridge.client;

import dev.pocketbridge.common.protocol.CloseCodes;

/**
 * The §3.1 handshake did not end in {@code session_established}. {@link #code()} is the server's
 * {@code error} code (e.g. {@code authentication_failed}) or one of the client-side codes below;
 * {@link #closeCode()} is the WebSocket close code, or {@link #NOT_CLOSED} when the connection
 * had not been closed by the server when the client gave up.
 */
public class HandshakeException extends RuntimeException {

    public static final int NOT_CLOSED = -1;

    /** The connection could not be opened (refused, HTTP upgrade failed, timeout). */
    public static final String CONNECT_FAILED = "connect_failed";
    /** No answer within the handshake timeout. */
    public static final String TIMEOUT = "timeout";
    /** The server closed the connection without an {@code error} frame. */
    public static final String CLOSED = "closed";
    /** The server's frame was not the one the handshake expects at that step. */
    public static final String UNEXPECTED_FRAME = "unexpected_frame";
    /** {@code server_hello}'s signature, key or fields did not verify. */
    public static final String SERVER_NOT_VERIFIED = "server_not_verified";
    /** {@code server_identity_pub} is not the pinned server key. */
    public static final String SERVER_KEY_MISMATCH = "server_key_mismatch";

    private final String code;
    private final int closeCode;
    private final String closeReason;

    public HandshakeException(String code, String message, int closeCode, String closeReason, Throwable cause) {
        super(code + (message == null ? "" : ": " + message)
                + (closeCode == NOT_CLOSED ? "" : " (close " + closeCode
                        + (closeReason == null || closeReason.isEmpty() ? "" : " " + closeReason) + ")"), cause);
        this.code = code;
        this.closeCode = closeCode;
        this.closeReason = closeReason;
    }

    /** The server's error code or a client-side code of this class. */
    public String code() {
        return code;
    }

    /** The WebSocket close code, or {@link #NOT_CLOSED}. */
    public int closeCode() {
        return closeCode;
    }

    /** The close reason the server gave; may be null or empty. */
    public String closeReason() {
        return closeReason;
    }

    /**
     * Whether trying again later can succeed (PROTOCOL §3.6): the server could not be reached or did
     * not answer in time, a dependency was down ({@code unavailable}, 1013), the client made too many
     * handshakes (4029), the server was going away (1001) or closed without saying why. Not: refused
     * credentials, a revoked device, a server that did not verify, a protocol error.
     */
    public boolean retryable() {
        return switch (code) {
            case CONNECT_FAILED, TIMEOUT, CLOSED, "unavailable" -> true;
            default -> closeCode == CloseCodes.TOO_MANY_HANDSHAKES || closeCode == CloseCodes.TRY_AGAIN_LATER
                    || closeCode == CloseCodes.GOING_AWAY;
        };
    }
}
