package dev.pocketbridge.auth.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Consuming device-service's account changes ({@code pocketbridge.auth.accounts}). The retry of a
 * failed poll and the partitions of the dead-letter topics are every service's
 * ({@code pocketbridge.kafka}, {@link dev.pocketbridge.kafka.PocketBridgeKafkaProperties}).
 *
 * @param deadLetterTimeout how long the listener waits for the broker's ack of a dead letter before it fails the poll
 */
@ConfigurationProperties("pocketbridge.auth.accounts")
@Validated
record AccountChangesProperties(
        @DefaultValue("10s") @NotNull Duration deadLetterTimeout) {
}
