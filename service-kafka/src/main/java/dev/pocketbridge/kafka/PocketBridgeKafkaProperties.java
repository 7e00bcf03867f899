package dev.pocketbridge.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The Kafka settings every service agrees on ({@code pocketbridge.kafka}), bound once for every
 * service by {@link ServiceKafkaAutoConfiguration}. Retention ({@code pocketbridge.kafka.retention},
 * {@link TopicRetentionProperties}) and listener progress ({@code pocketbridge.kafka.progress},
 * {@link ConsumerProgress.Settings}) have records of their own under the same prefix.
 *
 * @param deliveriesPartitions partitions of {@code deliveries} = the largest number of gateway
 *        nodes: a gateway's {@code node-id} must be below it, and a delivery for a node id outside
 *        it is never sent ({@link Deliveries})
 * @param retry the back-off of every ordered consumer's failed batch, retried in place without end
 *        ({@link OrderedConsumption})
 * @param accountChangesDeadLetterPartitions partitions of {@code devices.dlt} and {@code users.dlt},
 *        declared alike by every service that dead-letters account changes (event-service,
 *        auth-service: {@link TopicDeclarations#accountChangeDeadLetters})
 */
@ConfigurationProperties("pocketbridge.kafka")
@Validated
public record PocketBridgeKafkaProperties(
        @DefaultValue("16") @Min(1) int deliveriesPartitions,
        @DefaultValue @NotNull @Valid OrderedConsumption.Retry retry,
        @DefaultValue("12") @Min(1) int accountChangesDeadLetterPartitions) {
}
