package dev.pocketbridge.testsupport;

import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.kafka.KafkaContainer;

import dev.pocketbridge.common.kafka.Topics;

/**
 * One real Kafka broker (KRaft) per test JVM: a Testcontainers container where a Docker engine
 * answers, Spring Kafka's embedded KRaft broker otherwise. Services create their own topics.
 */
public final class SharedKafka {

    private static String bootstrapServers;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = Infrastructure.dockerAvailable() ? startContainer() : startEmbedded();
        }
        return bootstrapServers;
    }

    private static String startContainer() {
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.2.0")
                .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(Topics.MAX_MESSAGE_BYTES));
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-container-stop"));
        return kafka.getBootstrapServers();
    }

    private static String startEmbedded() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of(
                "message.max.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES),
                "group.initial.rebalance.delay.ms", "0",
                "auto.create.topics.enable", "false"));
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
        return broker.getBrokersAsString();
    }
}
