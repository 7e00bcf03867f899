package dev.pocketbridge.common.kafka;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * {@code presence} (compacted): where the gateway nodes' sessions are, published by each node;
 * {@code kind} tells which record it is. Every record carries its node's {@code epoch}: the node's
 * life that published it. A node's larger epoch means it restarted, so every session entry of that
 * node with a smaller epoch is dead. Every member a kind names is required: a record without one
 * cannot be built, so it is refused when read.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Presence.NodeStarted.class, name = "node_started"),
        @JsonSubTypes.Type(value = Presence.SessionOpened.class, name = "session_opened"),
        @JsonSubTypes.Type(value = Presence.SessionClosed.class, name = "session_closed")
})
public sealed interface Presence {

    int schemaVersion();

    int nodeId();

    /** The life of the node that published this record; larger is newer. */
    long epoch();

    /** When the node published it (epoch milliseconds, the node's clock). */
    long at();

    /** The record's key: {@code node:<node_id>} or {@code <device_id>:<session_id>}. */
    String key();

    /**
     * The node runs with this epoch. Published when the node starts, before any of its sessions, and
     * again every {@code presence-heartbeat-interval} with the same epoch and a new {@code at}, so
     * that readers tell a crashed node (silent) from a quiet one by their own clocks.
     */
    record NodeStarted(int schemaVersion, int nodeId, long epoch, long at) implements Presence {

        public NodeStarted(int nodeId, long epoch, long at) {
            this(Topics.PRESENCE_SCHEMA_VERSION, nodeId, epoch, at);
        }

        @Override
        public String key() {
            return Topics.presenceNodeKey(nodeId);
        }
    }

    /** A record about one session of a device; its key is {@code <device_id>:<session_id>}. */
    sealed interface Session extends Presence {

        String userId();

        String deviceId();

        String sessionId();

        @Override
        default String key() {
            return Topics.presenceSessionKey(deviceId(), sessionId());
        }

        private static void requireIds(String userId, String deviceId, String sessionId) {
            Required.present(userId, "user_id");
            Required.present(deviceId, "device_id");
            Required.present(sessionId, "session_id");
        }
    }

    /** A session of the device was established on the node. */
    record SessionOpened(int schemaVersion, int nodeId, long epoch, String userId, String deviceId,
            String sessionId, long at) implements Session {

        public SessionOpened {
            Session.requireIds(userId, deviceId, sessionId);
        }

        public SessionOpened(int nodeId, long epoch, String userId, String deviceId, String sessionId, long at) {
            this(Topics.PRESENCE_SCHEMA_VERSION, nodeId, epoch, userId, deviceId, sessionId, at);
        }

        /** The record that says this session ended at {@code closedAt}. */
        public SessionClosed closed(long closedAt) {
            return new SessionClosed(nodeId, epoch, userId, deviceId, sessionId, closedAt);
        }
    }

    /**
     * The session ended. For live readers (when the device was last seen); a tombstone of the same
     * key follows, so that compaction forgets the session.
     */
    record SessionClosed(int schemaVersion, int nodeId, long epoch, String userId, String deviceId,
            String sessionId, long at) implements Session {

        public SessionClosed {
            Session.requireIds(userId, deviceId, sessionId);
        }

        public SessionClosed(int nodeId, long epoch, String userId, String deviceId, String sessionId, long at) {
            this(Topics.PRESENCE_SCHEMA_VERSION, nodeId, epoch, userId, deviceId, sessionId, at);
        }
    }
}
