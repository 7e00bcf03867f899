package dev.pocketbridge.common.kafka;

/**
 * {@code presence} (compacted). {@code kind} {@code session}: a session opened ({@code online}
 * true) or closed on {@code node_id}; {@code kind} {@code node}: the node (re)started with a new
 * {@code epoch}, so every session entry of that node with a smaller epoch is dead.
 */
public record Presence(int schemaVersion, String kind, int nodeId, long epoch, String userId, String deviceId,
        String sessionId, boolean online, long at) {

    public static final String SESSION = "session";
    public static final String NODE = "node";

    public static Presence session(int nodeId, long epoch, String userId, String deviceId, String sessionId,
            boolean online, long at) {
        return new Presence(Topics.SCHEMA_VERSION, SESSION, nodeId, epoch, userId, deviceId, sessionId, online, at);
    }

    public static Presence node(int nodeId, long epoch, long at) {
        return new Presence(Topics.SCHEMA_VERSION, NODE, nodeId, epoch, null, null, null, true, at);
    }

    public String key() {
        return NODE.equals(kind) ? Topics.presenceNodeKey(nodeId) : Topics.presenceSessionKey(deviceId, sessionId);
    }
}
