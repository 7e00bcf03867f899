package dev.pocketbridge.client;

/** The session's connection ended while the caller was waiting for, or sending, a frame. */
public class SessionClosedException extends RuntimeException {

    private final int closeCode;
    private final String closeReason;

    public SessionClosedException(int closeCode, String closeReason) {
        super("session closed: " + closeCode + (closeReason == null || closeReason.isEmpty() ? "" : " " + closeReason));
        this.closeCode = closeCode;
        this.closeReason = closeReason;
    }

    /** The WebSocket close code ({@link DeviceSession#ABNORMAL_CLOSURE} when the connection just broke). */
    public int closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }
}
