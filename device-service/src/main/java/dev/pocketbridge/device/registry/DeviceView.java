package dev.pocketbridge.device.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.pocketbridge.device.Caller;

/**
 * One device as its user sees it (PROTOCOL §2.2). Presence is not tracked yet: {@code is_online} is
 * false and {@code last_seen} null, written out explicitly so clients see the documented shape.
 */
record DeviceView(
        String deviceId,
        String deviceName,
        String deviceType,
        boolean isOnline,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long lastSeen,
        long createdAt,
        boolean isCurrent) {

    static DeviceView of(Device device, Caller caller) {
        return new DeviceView(device.getId().toString(), device.deviceName(), device.deviceType(), false, null,
                device.createdAt().toEpochMilli(), device.getId().equals(caller.deviceId()));
    }
}
