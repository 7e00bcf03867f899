package dev.pocketbridge.event.analytics;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Pseudonyms;
import dev.pocketbridge.common.kafka.AnalyticsEvent;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.event.log.AppendOutcome;

/** The {@link AnalyticsEvent} of one inbound event and its outcome: ids pseudonymised, the payload only measured. */
final class AnalyticsRecords {

    private final Pseudonyms pseudonyms;

    AnalyticsRecords(Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
    }

    /** The record's key: the user's pseudonym, so one user's records stay in order. */
    String key(InboundEvent inbound) {
        return pseudonyms.user(inbound.userId());
    }

    AnalyticsEvent of(InboundEvent inbound, AppendOutcome outcome, long decidedAt) {
        ClientFrame.SendEvent event = inbound.event();
        String result;
        String rejectCode = null;
        Long storedAt = null;
        switch (outcome) {
            case AppendOutcome.Stored stored -> {
                result = stored.duplicate() ? AnalyticsEvent.DUPLICATE : AnalyticsEvent.STORED;
                storedAt = stored.event().createdAt();
            }
            case AppendOutcome.Rejected rejected -> {
                result = AnalyticsEvent.REJECTED;
                rejectCode = rejected.code().wire();
            }
        }
        // Only an invalid_event (from a producer other than the gateway) can lack these or have them malformed.
        String stream = event.streamId() == null ? null : pseudonyms.stream(inbound.userId(), event.streamId());
        String eventId = event.eventId() == null ? null : pseudonyms.event(event.eventId());
        String eventType = EventValidator.isName(event.eventType()) ? event.eventType() : null;
        long payloadBytes = Base64Url.decodedLength(event.encryptedPayload());
        return new AnalyticsEvent(Topics.SCHEMA_VERSION, result, rejectCode, pseudonyms.user(inbound.userId()),
                pseudonyms.device(inbound.deviceId()), deviceType(inbound.deviceType()), stream, eventId, eventType,
                payloadBytes < 0 ? null : payloadBytes, inbound.receivedAt(), storedAt, decidedAt);
    }

    /** What device-service allows (PROTOCOL §2), nothing else: the field is not free text. */
    private static String deviceType(String type) {
        return type != null && type.matches("mobile|desktop|web") ? type : null;
    }
}
