package dev.pocketbridge.common.kafka;

/** {@code acks}: a device has processed every {@code seq} up to this one. */
public record DeviceAck(int schemaVersion, String userId, String deviceId, long seq, long at) {
}
