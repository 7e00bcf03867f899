package dev.pocketbridge.device.registry;

/** A revoked device as admins see it (PROTOCOL §2.3); {@code revoked_at} in epoch milliseconds. */
record RevokedDevice(String deviceId, String userId, long revokedAt, String reason) {

    static RevokedDevice of(Device device) {
        return new RevokedDevice(device.getId().toString(), device.userId().toString(),
                device.revokedAt().toEpochMilli(), device.revokeReason());
    }
}
