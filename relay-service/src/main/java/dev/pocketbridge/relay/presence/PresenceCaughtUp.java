package dev.pocketbridge.relay.presence;

/**
 * Published once, when this instance's presence view holds everything the topic held at start-up
 * ({@code timedOut} false) or when waiting for that took longer than allowed ({@code timedOut} true).
 */
public record PresenceCaughtUp(boolean timedOut) {
}
