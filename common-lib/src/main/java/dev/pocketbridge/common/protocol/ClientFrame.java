package dev.pocketbridge.common.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Every frame a device sends over {@code /ws} (PROTOCOL.md §3), discriminated by {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientFrame.ClientHello.class, name = "client_hello"),
        @JsonSubTypes.Type(value = ClientFrame.ClientAuth.class, name = "client_auth"),
        @JsonSubTypes.Type(value = ClientFrame.SendEvent.class, name = "event"),
        @JsonSubTypes.Type(value = ClientFrame.Ack.class, name = "ack"),
        @JsonSubTypes.Type(value = ClientFrame.ReplayRequest.class, name = "replay_request")
})
public sealed interface ClientFrame {

    /** §3.1 step 1. */
    record ClientHello(Integer protocolVersion, String userId, String deviceId, String nonceC)
            implements ClientFrame {
    }

    /** §3.1 step 3. */
    record ClientAuth(String signature) implements ClientFrame {
    }

    /** §3.2: an event a device sends; fields are boxed so that a missing one is seen and named. */
    record SendEvent(String eventId, Long deviceSeq, String streamId, String eventType,
            String encryptedPayload, Long expiresAt, Long baseStreamSeq) implements ClientFrame {
    }

    /** §3.3: cumulative acknowledgement of every {@code seq} up to this one. */
    record Ack(Long seq) implements ClientFrame {
    }

    /** §3.4; {@code encoding} is {@link #JSON} (also when absent) or {@link #CBOR}. */
    record ReplayRequest(String requestId, Long afterSeq, Integer limit, String continuationToken, String encoding)
            implements ClientFrame {

        /** The answer is a text frame of JSON. */
        public static final String JSON = "json";
        /** The answer is a binary message of CBOR, its ciphertext as byte strings. */
        public static final String CBOR = "cbor";

        /** A request answered in JSON. */
        public ReplayRequest(String requestId, Long afterSeq, Integer limit, String continuationToken) {
            this(requestId, afterSeq, limit, continuationToken, null);
        }
    }
}
