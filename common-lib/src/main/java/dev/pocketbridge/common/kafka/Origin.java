package dev.pocketbridge.common.kafka;

/** The gateway node and session an event came from, where its ack or rejection must go back to. */
public record Origin(int nodeId, String sessionId) {
}
