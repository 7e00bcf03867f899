package dev.pocketbridge.device.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to an admin's unrevoke: the device and whether it is active ({@code revoked_at} null when it is). */
record DeviceState(String deviceId, String userId, boolean active,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long revokedAt) {

    static DeviceState of(Device device) {
        return new DeviceState(device.getId().toString(), device.userId().toString(), device.active(),
                device.revokedAt() == null ? null : device.revokedAt().toEpochMilli());
    }
}
