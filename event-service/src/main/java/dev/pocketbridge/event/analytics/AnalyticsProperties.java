package dev.pocketbridge.event.analytics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The analysts' topic {@code events.analytics} ({@code pocketbridge.analytics}; docs/analytics.md).
 *
 * @param enabled whether event-service publishes it (and declares the topic); off unless set. When
 *     on, {@code key} is required: the service refuses to start without one, so a deployment never
 *     publishes pseudonyms under a key nobody chose (there is no built-in key)
 * @param key the deployment's pseudonymisation key, HMAC-SHA256: base64url without padding, at least
 *     32 bytes. Changing it changes every pseudonym (docs/analytics.md, "Key rotation")
 * @param partitions partitions of {@code events.analytics} when this service creates it
 * @param maxBlock the longest the listener waits to hand a record to the analytics producer
 *     (its {@code max.block.ms}: buffer full, topic metadata unknown); a record that waits longer is
 *     dropped and counted, so analytics never holds up an ack
 * @param linger how long the analytics producer gathers records into one produce request (its
 *     {@code linger.ms}): analysts read them this much later, and the broker takes one request for
 *     all of them instead of one per inbound batch, which at low rates is one per event
 */
@ConfigurationProperties("pocketbridge.analytics")
@Validated
record AnalyticsProperties(
        @DefaultValue("false") boolean enabled,
        String key,
        @DefaultValue("12") @Min(1) int partitions,
        @DefaultValue("100ms") @NotNull Duration maxBlock,
        @DefaultValue("500ms") @NotNull Duration linger) {
}
