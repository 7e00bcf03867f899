package dev.pocketbridge.common.kafka;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * {@code deliveries}: an instruction for sessions on one gateway node, written to the partition
 * that is that node's id, keyed by {@code user_id}; {@code kind} tells which. Every member a kind
 * names is required: a record without one cannot be built, so it is refused when read (a missing
 * number too: {@link dev.pocketbridge.common.codec.Json} reads no absent primitive as 0).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Delivery.Outcome.class, name = "outcome"),
        @JsonSubTypes.Type(value = Delivery.LiveEvent.class, name = "live_event"),
        @JsonSubTypes.Type(value = Delivery.CloseSession.class, name = "close_session")
})
public sealed interface Delivery {

    int schemaVersion();

    /** The gateway node whose sessions this is for: the partition of {@code deliveries} it is written to. */
    int nodeId();

    /** The user the addressed sessions belong to; a session of another user is never addressed. */
    String userId();

    /** The outcome of an event for the session that sent it: an {@code event_ack} or an {@code event_rejected}. */
    record Outcome(int schemaVersion, int nodeId, String userId, String sessionId, ServerFrame frame)
            implements Delivery {

        public Outcome {
            Required.present(userId, "user_id");
            Required.present(sessionId, "session_id");
            Required.present(frame, "frame");
        }

        public Outcome(int nodeId, String userId, String sessionId, ServerFrame frame) {
            this(Topics.DELIVERIES_SCHEMA_VERSION, nodeId, userId, sessionId, frame);
        }
    }

    /** A stored event for every local session of these devices of the user. */
    record LiveEvent(int schemaVersion, int nodeId, String userId, List<String> deviceIds,
            ServerFrame.DeliveredEvent event) implements Delivery {

        public LiveEvent {
            Required.present(userId, "user_id");
            deviceIds = List.copyOf(Required.present(deviceIds, "device_ids"));
            Required.present(event, "event");
        }

        public LiveEvent(int nodeId, String userId, List<String> deviceIds, ServerFrame.DeliveredEvent event) {
            this(Topics.DELIVERIES_SCHEMA_VERSION, nodeId, userId, deviceIds, event);
        }
    }

    /** Close that session with {@code close_code}: 4409 when its device connected on another node. */
    record CloseSession(int schemaVersion, int nodeId, String userId, String sessionId, int closeCode)
            implements Delivery {

        public CloseSession {
            Required.present(userId, "user_id");
            Required.present(sessionId, "session_id");
        }

        public CloseSession(int nodeId, String userId, String sessionId, int closeCode) {
            this(Topics.DELIVERIES_SCHEMA_VERSION, nodeId, userId, sessionId, closeCode);
        }
    }
}
