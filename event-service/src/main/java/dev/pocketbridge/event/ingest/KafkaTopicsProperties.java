package dev.pocketbridge.event.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;

/**
 * Topic settings every service agrees on ({@code pocketbridge.kafka}).
 *
 * @param deliveriesPartitions partitions of {@code deliveries} = the largest number of gateway nodes
 */
@ConfigurationProperties("pocketbridge.kafka")
@Validated
record KafkaTopicsProperties(@DefaultValue("16") @Min(1) int deliveriesPartitions) {
}
