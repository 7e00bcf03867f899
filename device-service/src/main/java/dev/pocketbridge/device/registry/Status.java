package dev.pocketbridge.device.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code GET /api/v1/status} (PROTOCOL §2.2): the caller, its user's active and online devices, the
 * user's last activity (API use or an event, to the minute; null before the first) and the server's
 * time, all times in epoch milliseconds.
 */
record Status(String userId, String deviceId, int devicesTotal, int devicesOnline,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long lastActivity, long serverTime) {
}
