package dev.pocketbridge.event.log;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ServerFrame;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One row of {@code events}; times in epoch millis. Written by the wire's mapper, a row is exactly
 * its {@link #toDelivered() DeliveredEvent} (§3.3), {@code type} first, with its payload encoded as
 * base64url straight from the stored bytes: replay pages are written from rows, with no string per
 * payload in between ({@code LoggedEventJsonTest} checks the two forms are the same bytes).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonTypeName("event")
public record LoggedEvent(long seq, UUID eventId, UUID deviceId, long deviceSeq, String streamId, long streamSeq,
        String eventType,
        @JsonProperty("encrypted_payload") @JsonSerialize(using = Base64UrlBytesSerializer.class) byte[] payload,
        Long expiresAt, long createdAt, boolean conflict) {

    /** The event as every device sees it. */
    public ServerFrame.DeliveredEvent toDelivered() {
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
