package dev.pocketbridge.auth.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Consuming device-service's account changes ({@code pocketbridge.auth.accounts}).
 *
 * @param deadLetterTimeout how long the listener waits for the broker's ack of a dead letter before it fails the poll
 * @param deadLetterPartitions partitions of {@code devices.dlt} and {@code users.dlt} when this service
 *     creates them (the same as event-service declares)
 * @param retryInitialInterval first pause before a failed poll is retried
 * @param retryMultiplier growth of the pause between retries
 * @param retryMaxInterval longest pause between retries
 */
@ConfigurationProperties("pocketbridge.auth.accounts")
@Validated
record AccountChangesProperties(
        @DefaultValue("10s") @NotNull Duration deadLetterTimeout,
        @DefaultValue("12") @Min(1) int deadLetterPartitions,
        @DefaultValue("200ms") @NotNull Duration retryInitialInterval,
        @DefaultValue("2.0") @DecimalMin("1.0") double retryMultiplier,
        @DefaultValue("5s") @NotNull Duration retryMaxInterval) {
}
