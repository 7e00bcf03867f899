package dev.pocketbridge.common.kafka;

import dev.pocketbridge.common.protocol.ClientFrame;

/**
 * {@code events.inbound}: an event exactly as the device framed it ({@code event}, the
 * {@code event} frame of PROTOCOL §3.2), with who sent it, from which type of device
 * ({@code device_type}, optional: only for {@code events.analytics}), and which session on which
 * gateway node waits for its outcome.
 */
public record InboundEvent(int schemaVersion, String userId, String deviceId, Origin origin, long receivedAt,
        ClientFrame.SendEvent event, String deviceType) {

    public static InboundEvent of(String userId, String deviceId, Origin origin, long receivedAt,
            ClientFrame.SendEvent event) {
        return of(userId, deviceId, null, origin, receivedAt, event);
    }

    public static InboundEvent of(String userId, String deviceId, String deviceType, Origin origin, long receivedAt,
            ClientFrame.SendEvent event) {
        return new InboundEvent(Topics.EVENTS_INBOUND_SCHEMA_VERSION, userId, deviceId, origin, receivedAt, event,
                deviceType);
    }
}
