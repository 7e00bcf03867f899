package dev.pocketbridge.relay.fanout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Fan-out settings ({@code pocketbridge.relay.fanout}).
 *
 * @param sendTimeout          how long the listener waits for the broker to ack all deliveries of one batch
 * @param deadLetterPartitions partitions of {@code events.stored.dlt}
 */
@ConfigurationProperties("pocketbridge.relay.fanout")
@Validated
record FanoutProperties(
        @DefaultValue("10s") @NotNull Duration sendTimeout,
        @DefaultValue("1") @Min(1) int deadLetterPartitions) {
}
