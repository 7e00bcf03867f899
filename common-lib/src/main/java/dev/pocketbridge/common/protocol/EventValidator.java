package dev.pocketbridge.common.protocol;

import java.util.Optional;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.ids.Uuids;

/**
 * The checks of §3.2 that need no stored state, shared by the gateway (to answer at once) and
 * event-service (which never trusts its input topic). State checks (monotonic {@code device_seq},
 * {@code event_id} reuse) belong to event-service alone.
 */
public final class EventValidator {

    /** The longest {@code stream_id} or {@code event_type}. */
    private static final int MAX_NAME_LENGTH = 64;
    /** 9999-12-31T23:59:59.999Z: later instants fit no SQL timestamp and mean nothing for an expiry. */
    public static final long MAX_EXPIRES_AT = 253_402_300_799_999L;

    private final long maxPayloadBytes;

    /** @param maxPayloadBytes largest decoded {@code encrypted_payload} accepted */
    public EventValidator(long maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * Whether {@code text} is a well-formed {@code stream_id} or {@code event_type} (§3.2):
     * {@code [A-Za-z0-9._:-]{1,64}}, checked character by character rather than by a regular
     * expression, since every event passes here on the event path (docs/performance.md).
     */
    public static boolean isName(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Why an event is refused. */
    public record Rejection(RejectCode code, String message) {
    }

    /**
     * The format of the fields only. Whether the event has expired is not decided here: that needs
     * the log (a resend of an event stored before it expired is still a {@code duplicate}), so the
     * event-service's sequencer decides it.
     */
    public Optional<Rejection> validate(ClientFrame.SendEvent event) {
        if (!Uuids.isCanonical(event.eventId())) {
            return invalid("event_id must be a lowercase canonical UUID");
        }
        if (event.deviceSeq() == null || event.deviceSeq() < 1) {
            return invalid("device_seq must be an integer >= 1");
        }
        if (!isName(event.streamId())) {
            return invalid("stream_id must be 1-64 characters of [A-Za-z0-9._:-]");
        }
        if (!isName(event.eventType())) {
            return invalid("event_type must be 1-64 characters of [A-Za-z0-9._:-]");
        }
        if (event.encryptedPayload() == null) {
            return invalid("encrypted_payload is required");
        }
        // Size first, from the text length, so an oversized payload is never decoded.
        if (Base64Url.decodedLength(event.encryptedPayload()) > maxPayloadBytes) {
            return Optional.of(new Rejection(RejectCode.PAYLOAD_TOO_LARGE,
                    "encrypted_payload exceeds " + maxPayloadBytes + " bytes"));
        }
        if (!Base64Url.isValid(event.encryptedPayload())) {
            return invalid("encrypted_payload must be base64url without padding");
        }
        if (event.baseStreamSeq() != null && event.baseStreamSeq() < 0) {
            return invalid("base_stream_seq must be >= 0");
        }
        if (event.expiresAt() != null && (event.expiresAt() < 0 || event.expiresAt() > MAX_EXPIRES_AT)) {
            return invalid("expires_at must be milliseconds since the epoch, at most the end of year 9999");
        }
        return Optional.empty();
    }

    private static Optional<Rejection> invalid(String message) {
        return Optional.of(new Rejection(RejectCode.INVALID_EVENT, message));
    }
}
