package dev.pocketbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;

import dev.pocketbridge.testsupport.SharedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The lag every consumer reports, against a real broker, for a consumer without a group (manually
 * assigned, nothing committed): the records it has still to read while its listener is busy, then 0.
 */
class ConsumerLagTest {

    private final String topic = "lag-" + UUID.randomUUID();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch busy = new CountDownLatch(1);
    private KafkaMessageListenerContainer<String, String> container;

    @AfterEach
    void stop() {
        busy.countDown();
        if (container != null) {
            container.stop();
        }
    }

    @Test
    void aManuallyAssignedConsumerReportsTheRecordsItHasStillToRead() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        produce(5);
        DefaultKafkaConsumerFactory<String, String> consumers = new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        ContainerProperties properties = new ContainerProperties(new TopicPartitionOffset(topic, 0,
                TopicPartitionOffset.SeekPosition.BEGINNING));
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        properties.setMessageListener((BatchMessageListener<String, String>) this::onBatch);
        container = new KafkaMessageListenerContainer<>(consumers, properties);
        ConsumerLag.register(meters, "test-listener", () -> container);
        assertThat(lag()).as("before it starts").isZero();

        container.start();

        // The first record is taken and held: four wait behind it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lag()).isEqualTo(4.0));
        busy.countDown();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lag()).isZero());
    }

    private double lag() {
        return meters.get(ConsumerLag.METRIC).tag("listener", "test-listener").gauge().value();
    }

    private void onBatch(List<ConsumerRecord<String, String>> records) {
        try {
            busy.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void produce(int count) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "v" + i)).get();
            }
        }
    }
}
