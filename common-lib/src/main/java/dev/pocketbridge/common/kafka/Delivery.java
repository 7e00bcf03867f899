package dev.pocketbridge.common.kafka;

import java.util.List;

import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * {@code deliveries}: an instruction for sessions on one gateway node (the record's partition).
 * Exactly one of three shapes: {@code session_id} + {@code frame} (an ack or rejection for the
 * sending session); {@code device_ids} + {@code frame} (an event for every local session of these
 * devices of {@code user_id}); {@code session_id} + {@code close_code} (close that session, e.g.
 * 4409 when its device connected on another node).
 */
public record Delivery(int schemaVersion, int nodeId, String userId, String sessionId, List<String> deviceIds,
        ServerFrame frame, Integer closeCode) {

    public static Delivery toSession(int nodeId, String userId, String sessionId, ServerFrame frame) {
        return new Delivery(Topics.SCHEMA_VERSION, nodeId, userId, sessionId, null, frame, null);
    }

    public static Delivery toDevices(int nodeId, String userId, List<String> deviceIds, ServerFrame frame) {
        return new Delivery(Topics.SCHEMA_VERSION, nodeId, userId, null, List.copyOf(deviceIds), frame, null);
    }

    public static Delivery closeSession(int nodeId, String userId, String sessionId, int closeCode) {
        return new Delivery(Topics.SCHEMA_VERSION, nodeId, userId, sessionId, null, null, closeCode);
    }
}
