package dev.pocketbridge.common.kafka;

/**
 * {@code events.analytics}: what became of one inbound event, for analysts, without anything that
 * names a person or carries content: ids as keyed pseudonyms
 * ({@link dev.pocketbridge.common.crypto.Pseudonyms}), the payload's size but never its bytes.
 * Published by event-service after the outcome is committed and announced, best effort and at
 * least once; keyed by {@code user_pseudonym}. Fields are described in docs/analytics.md.
 *
 * Absent members: {@code reject_code} unless rejected, {@code stored_at} when rejected,
 * {@code device_type} when the gateway did not know it; {@code stream_pseudonym},
 * {@code event_pseudonym}, {@code event_type} and {@code payload_bytes} only for an
 * {@code invalid_event} whose member was missing or malformed (an event type is carried only when
 * it is well-formed, so free text never gets here).
 *
 * @param outcome {@link #STORED}, {@link #DUPLICATE} or {@link #REJECTED}
 * @param rejectCode the {@code event_rejected} code when rejected
 * @param deviceType {@code mobile}, {@code desktop} or {@code web}
 * @param payloadBytes bytes of the (encrypted) payload
 * @param receivedAt when the gateway received the event (its clock)
 * @param storedAt when the log stored the event (the first time, for a duplicate); absent when rejected
 * @param decidedAt when event-service decided the outcome (its clock)
 */
public record AnalyticsEvent(int schemaVersion, String outcome, String rejectCode, String userPseudonym,
        String devicePseudonym, String deviceType, String streamPseudonym, String eventPseudonym,
        String eventType, Long payloadBytes, long receivedAt, Long storedAt, long decidedAt) {

    public static final String STORED = "stored";
    public static final String DUPLICATE = "duplicate";
    public static final String REJECTED = "rejected";

    public AnalyticsEvent {
        Required.present(outcome, "outcome");
        Required.present(userPseudonym, "user_pseudonym");
        Required.present(devicePseudonym, "device_pseudonym");
    }
}
