package dev.pocketbridge.relay.fanout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Fan-out settings ({@code pocketbridge.relay.fanout}).
 *
 * @param sendTimeout          how long the listener waits for the broker to ack all deliveries of one batch
 * @param retryInitialInterval first back-off before a failed batch is retried
 * @param retryMultiplier      growth of the back-off between retries
 * @param retryMaxInterval     longest back-off between retries
 * @param deadLetterPartitions partitions of {@code events.stored.dlt}
 */
@ConfigurationProperties("pocketbridge.relay.fanout")
@Validated
record FanoutProperties(
        @DefaultValue("10s") @NotNull Duration sendTimeout,
        @DefaultValue("200ms") @NotNull Duration retryInitialInterval,
        @DefaultValue("2.0") @DecimalMin("1.0") double retryMultiplier,
        @DefaultValue("5s") @NotNull Duration retryMaxInterval,
        @DefaultValue("1") @Min(1) int deadLetterPartitions) {
}
