package dev.pocketbridge.common.kafka;

import dev.pocketbridge.common.protocol.ClientFrame;

/**
 * {@code events.inbound}: an event as the device sent it, with who sent it and which session on
 * which gateway node waits for its outcome.
 */
public record InboundEvent(int schemaVersion, String userId, String deviceId, Origin origin, long receivedAt,
        String eventId, long deviceSeq, String streamId, String eventType, String encryptedPayload,
        Long expiresAt, Long baseStreamSeq) {

    public static InboundEvent of(String userId, String deviceId, Origin origin, long receivedAt,
            ClientFrame.SendEvent e) {
        return new InboundEvent(Topics.SCHEMA_VERSION, userId, deviceId, origin, receivedAt, e.eventId(),
                e.deviceSeq(), e.streamId(), e.eventType(), e.encryptedPayload(), e.expiresAt(), e.baseStreamSeq());
    }

    /** The event fields as the device framed them, for the shared {@code EventValidator}. */
    public ClientFrame.SendEvent asFrame() {
        return new ClientFrame.SendEvent(eventId, deviceSeq, streamId, eventType, encryptedPayload, expiresAt,
                baseStreamSeq);
    }
}
