package dev.pocketbridge.device.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.pocketbridge.device.presence.DevicePresence;
import dev.pocketbridge.web.DeviceCaller;

/**
 * One device as its user sees it (PROTOCOL §2.2): {@code is_online} from the gateways' presence,
 * {@code last_seen} (epoch milliseconds; now while online, null when never seen) written out
 * explicitly so clients see the documented shape.
 */
record DeviceView(
        String deviceId,
        String deviceName,
        String deviceType,
        boolean isOnline,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long lastSeen,
        long createdAt,
        boolean isCurrent) {

    static DeviceView of(Device device, DeviceCaller caller, DevicePresence presence) {
        String id = device.getId().toString();
        Long seen = presence.lastSeen(id);
        Long recorded = device.lastSeenAt() == null ? null : device.lastSeenAt().toEpochMilli();
        Long lastSeen = seen == null || (recorded != null && recorded > seen) ? recorded : seen;
        return new DeviceView(id, device.deviceName(), device.deviceType(), presence.online(id), lastSeen,
                device.createdAt().toEpochMilli(), device.getId().equals(caller.deviceId()));
    }
}
