package dev.pocketbridge.relay.presence;

/** One online session of a user: which device holds it and on which gateway node, since which node epoch. */
public record SessionLocation(String sessionId, String deviceId, int nodeId, long epoch) {
}
