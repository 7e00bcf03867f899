package dev.pocketbridge.common.protocol;

/** The {@code code} of an {@code event_rejected} frame (§3.2). Wire strings never change. */
public enum RejectCode {
    INVALID_EVENT("invalid_event"),
    EXPIRED("expired"),
    NON_MONOTONIC_DEVICE_SEQ("non_monotonic_device_seq"),
    EVENT_ID_CONFLICT("event_id_conflict"),
    PAYLOAD_TOO_LARGE("payload_too_large"),
    RATE_LIMITED("rate_limited"),
    BACKPRESSURE("backpressure"),
    /** The user's stored events would exceed the per-user storage quota (bytes). */
    QUOTA_EXCEEDED("quota_exceeded"),
    UNAVAILABLE("unavailable");

    private final String wire;

    RejectCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
