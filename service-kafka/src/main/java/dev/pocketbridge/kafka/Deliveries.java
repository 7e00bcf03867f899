package dev.pocketbridge.kafka;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Topics;

/**
 * The one way to address a gateway node's sessions on {@code deliveries}: partition = node id
 * (each node reads only its own), key {@code user_id}, so one user's deliveries to a node keep their
 * order. Also the topic's one declaration (event-service and relay-service both declare it:
 * whichever starts first creates it). A bean of every service ({@link ServiceKafkaAutoConfiguration}).
 */
public class Deliveries {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

    private final KafkaOperations<String, String> kafka;
    private final int partitions;

    public Deliveries(KafkaOperations<String, String> kafka, PocketBridgeKafkaProperties properties) {
        this.kafka = kafka;
        this.partitions = properties.deliveriesPartitions();
    }

    /** Whether a gateway node of this id has a partition to be addressed on. */
    public boolean addressable(int nodeId) {
        return nodeId >= 0 && nodeId < partitions;
    }

    /**
     * The record of {@code delivery}, for a batch's sends ({@link BatchSends}).
     *
     * @throws IllegalArgumentException when its node is not {@link #addressable}
     */
    public ProducerRecord<String, String> record(Delivery delivery) {
        if (!addressable(delivery.nodeId())) {
            throw new IllegalArgumentException("gateway node " + delivery.nodeId() + " has no partition of "
                    + Topics.DELIVERIES + " (" + partitions + ")");
        }
        return new ProducerRecord<>(Topics.DELIVERIES, delivery.nodeId(), delivery.userId(), Json.write(delivery));
    }

    /** Sends {@code delivery} on its own, best effort: a failure is logged, never retried. */
    public CompletableFuture<?> send(Delivery delivery) {
        CompletableFuture<?> sent;
        try {
            sent = kafka.send(record(delivery));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((result, error) -> {
            if (error != null) {
                log.warn("could not send a delivery to node {}: {}", delivery.nodeId(), error.toString());
            }
        });
    }

    /** The declaration of {@code deliveries}, with its stated retention. */
    public NewTopic topic(TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.DELIVERIES, partitions, retention.deliveries(),
                retention.deliveriesBytes());
    }
}
