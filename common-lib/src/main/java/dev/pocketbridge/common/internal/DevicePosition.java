package dev.pocketbridge.common.internal;

/** The positions a {@code session_established} frame reports (§3.1 step 4). */
public record DevicePosition(long lastDeviceSeq, long lastAckedSeq, long headSeq, long oldestAvailableSeq) {
}
