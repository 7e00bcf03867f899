package dev.pocketbridge.common.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import dev.pocketbridge.common.codec.Ciphertext;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/** Every frame the server sends over {@code /ws} (PROTOCOL.md §3), discriminated by {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerFrame.ServerHello.class, name = "server_hello"),
        @JsonSubTypes.Type(value = ServerFrame.SessionEstablished.class, name = "session_established"),
        @JsonSubTypes.Type(value = ServerFrame.EventAck.class, name = "event_ack"),
        @JsonSubTypes.Type(value = ServerFrame.EventRejected.class, name = "event_rejected"),
        @JsonSubTypes.Type(value = ServerFrame.DeliveredEvent.class, name = "event"),
        @JsonSubTypes.Type(value = ServerFrame.ReplayResponse.class, name = "replay_response"),
        @JsonSubTypes.Type(value = ServerFrame.SessionExpiring.class, name = "session_expiring"),
        @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error")
})
public sealed interface ServerFrame {

    /** §3.1 step 2. */
    record ServerHello(String sessionId, String nonceS, long serverTime, String serverIdentityPub,
            String serverSignature) implements ServerFrame {
    }

    /** §3.1 step 4. */
    record SessionEstablished(String sessionId, long lastDeviceSeq, long lastAckedSeq, long headSeq,
            long oldestAvailableSeq, long expiresAt, long maxFrameBytes) implements ServerFrame {
    }

    /** §3.2: the event is durably committed; {@code status} is {@code stored} or {@code duplicate}. */
    record EventAck(String eventId, long deviceSeq, long seq, long streamSeq, String status,
            boolean conflict) implements ServerFrame {

        public static final String STORED = "stored";
        public static final String DUPLICATE = "duplicate";
    }

    /** §3.2: the event was not stored; {@code code} is one of {@link RejectCode}. */
    record EventRejected(String eventId, Long deviceSeq, String code, String message, Long retryAfterMs)
            implements ServerFrame {
    }

    /**
     * §3.3: a stored event as every device sees it, live and in replay pages; its ciphertext is
     * base64url text, a byte string in a CBOR replay page (§3.4).
     */
    record DeliveredEvent(long seq, String eventId, String deviceId, long deviceSeq, String streamId,
            long streamSeq, String eventType,
            @JsonSerialize(using = Ciphertext.Serializer.class)
            @JsonDeserialize(using = Ciphertext.Deserializer.class) String encryptedPayload,
            Long expiresAt, long createdAt, boolean conflict) implements ServerFrame {
    }

    /** §3.4. */
    record ReplayResponse(String requestId, List<DeliveredEvent> events, boolean hasMore,
            String continuationToken, long throughSeq, long oldestAvailableSeq,
            @JsonProperty("is_empty") boolean isEmpty) implements ServerFrame {

        public static ReplayResponse of(String requestId, ReplayPage page) {
            return new ReplayResponse(requestId, page.events(), page.hasMore(), page.continuationToken(),
                    page.throughSeq(), page.oldestAvailableSeq(), page.isEmpty());
        }
    }

    /** §3.5: sent five minutes before the session's end. */
    record SessionExpiring(long expiresAt) implements ServerFrame {
    }

    /** A failure that is not about one event; {@code code} is one of {@link ErrorCode}. */
    record Error(String code, String message) implements ServerFrame {
    }
}
