package dev.pocketbridge.event.ingest;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Consuming {@code events.inbound} and {@code acks}, publishing outcomes ({@code pocketbridge.event.ingest}).
 *
 * @param publishTimeout how long the listener waits for the broker's ack of an outcome before it fails the record
 * @param storedPartitions partitions of {@code events.stored} when this service creates it
 * @param deadLetterPartitions partitions of {@code events.inbound.dlt} and {@code acks.dlt}
 */
@ConfigurationProperties("pocketbridge.event.ingest")
@Validated
public record IngestProperties(
        @DefaultValue("10s") @NotNull Duration publishTimeout,
        @DefaultValue("12") @Min(1) int storedPartitions,
        @DefaultValue("12") @Min(1) int deadLetterPartitions) {
}
