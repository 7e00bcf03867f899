package dev.pocketbridge.common.kafka;

import java.util.List;

import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * {@code deliveries}: a frame for sessions on one gateway node (the record's partition). Exactly
 * one of {@code session_id} (an ack or rejection for the sending session) or {@code device_ids}
 * (an event for every local session of these devices of {@code user_id}) is set.
 */
public record Delivery(int schemaVersion, int nodeId, String userId, String sessionId, List<String> deviceIds,
        ServerFrame frame) {

    public static Delivery toSession(int nodeId, String userId, String sessionId, ServerFrame frame) {
        return new Delivery(Topics.SCHEMA_VERSION, nodeId, userId, sessionId, null, frame);
    }

    public static Delivery toDevices(int nodeId, String userId, List<String> deviceIds, ServerFrame frame) {
        return new Delivery(Topics.SCHEMA_VERSION, nodeId, userId, null, List.copyOf(deviceIds), frame);
    }
}
