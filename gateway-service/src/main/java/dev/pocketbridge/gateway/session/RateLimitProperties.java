package dev.pocketbridge.gateway.session;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Rate limits of the WebSocket edge ({@code pocketbridge.gateway.session.rate-limits}). Each is a
 * token bucket (Bucket4j): up to its count at once, refilled evenly over its window. They hold per
 * gateway node (docs/operations.md says what that means with several).
 *
 * @param handshakesPerAddress WebSocket connections one client address may open per
 *        {@code handshake-window} (an IPv6 address counts by its /64); more are closed with 4029
 * @param handshakeWindow the window of {@code handshakes-per-address}
 * @param eventsPerDevice {@code event} frames one device may send per {@code event-window}; more
 *        are rejected {@code rate_limited} with {@code retry_after_ms}
 * @param eventWindow the window of {@code events-per-device}
 * @param maxTrackedAddresses the most client addresses remembered at once; the least recently
 *        seen are forgotten first
 * @param maxTrackedDevices the most devices remembered at once; the least recently seen are
 *        forgotten first
 */
@Validated
@ConfigurationProperties("pocketbridge.gateway.session.rate-limits")
record RateLimitProperties(
        @Min(1) @DefaultValue("30") long handshakesPerAddress,
        @NotNull @DefaultValue("1m") Duration handshakeWindow,
        @Min(1) @DefaultValue("200") long eventsPerDevice,
        @NotNull @DefaultValue("1s") Duration eventWindow,
        @Min(1) @DefaultValue("100000") long maxTrackedAddresses,
        @Min(1) @DefaultValue("100000") long maxTrackedDevices) {
}
