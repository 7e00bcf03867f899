package dev.pocketbridge.event.log;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ServerFrame;

/** One row of {@code events}; times in epoch millis. */
record LoggedEvent(long seq, UUID eventId, UUID deviceId, long deviceSeq, String streamId, long streamSeq,
        String eventType, byte[] payload, Long expiresAt, long createdAt, boolean conflict) {

    ServerFrame.DeliveredEvent toDelivered() {
        return new ServerFrame.DeliveredEvent(seq, eventId.toString(), deviceId.toString(), deviceSeq, streamId,
                streamSeq, eventType, Base64Url.encode(payload), expiresAt, createdAt, conflict);
    }

    /** Whether a resend carries exactly this event (everything the device chose, not what the log assigned). */
    boolean sameContent(UUID otherDeviceId, long otherDeviceSeq, String otherStreamId, String otherEventType,
            byte[] otherPayload, Long otherExpiresAt) {
        return deviceId.equals(otherDeviceId) && deviceSeq == otherDeviceSeq && streamId.equals(otherStreamId)
                && eventType.equals(otherEventType) && Arrays.equals(payload, otherPayload)
                && Objects.equals(expiresAt, otherExpiresAt);
    }
}
