package dev.pocketbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;

import dev.pocketbridge.testsupport.SharedKafka;
import dev.pocketbridge.testsupport.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Readiness and metrics of an ordered listener against a real broker: a listener whose batches
 * keep failing (retried in place forever, as every ordered listener's are) is reported stalled once
 * its partition has had lag without committed progress for the stall timeout; it recovers when the
 * batches succeed again; a stopped container is reported, and one stopped by an error is started again.
 */
class ConsumerProgressTest {

    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

    private final String topic = "progress-" + UUID.randomUUID();
    private final TestClock clock = new TestClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicBoolean failing = new AtomicBoolean(true);
    private final AtomicInteger attempts = new AtomicInteger();
    private KafkaMessageListenerContainer<String, String> container;
    private ConsumerProgress progress;

    @AfterEach
    void stop() {
        if (container != null) {
            container.stop();
        }
        if (progress != null) {
            progress.stop();
        }
    }

    @Test
    void aListenerStuckWithLagIsStalledAfterTheTimeoutAndRecoversWhenItsBatchesSucceed() throws Exception {
        start();
        produce(5);
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts.get() >= 2);

        progress.check();
        assertThat(progress.health().getStatus()).isEqualTo(Status.UP); // stuck, but not yet for long
        clock.advance(STALL_TIMEOUT.plusSeconds(1));
        progress.check();

        assertThat(progress.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(progress.health().getDetails().get("test-listener").toString())
                .contains("stalled").contains("5 records waiting");
        assertThat(meters.get("pocketbridge.kafka.consumer.stalled").tag("listener", "test-listener").gauge().value())
                .isEqualTo(1.0);

        failing.set(false);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            progress.check();
            assertThat(progress.health().getStatus()).isEqualTo(Status.UP);
        });
        assertThat(meters.get("pocketbridge.kafka.consumer.stalled").tag("listener", "test-listener").gauge().value())
                .isZero();
    }

    @Test
    void aListenerWithoutLagIsNeverStalledHoweverLongItIdles() throws Exception {
        failing.set(false);
        start();
        produce(3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            progress.check();
            assertThat(progress.health().getDetails().get("test-listener")).isEqualTo("progressing (lag 0)");
        });

        clock.advance(STALL_TIMEOUT.multipliedBy(3));
        progress.check();

        assertThat(progress.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aStoppedContainerIsNotReady() throws Exception {
        failing.set(false);
        start();
        progress.check();
        container.stop();

        progress.check();

        assertThat(progress.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(progress.health().getDetails().get("test-listener")).isEqualTo("not running");
    }

    @Test
    void aContainerStoppedByAnErrorIsStartedAgainAndConsumes() throws Exception {
        failing.set(false);
        start();
        container.stopAbnormally(() -> { });
        await().atMost(Duration.ofSeconds(30)).until(() -> !container.isRunning());

        progress.check();

        await().atMost(Duration.ofSeconds(30)).until(() -> container.isRunning()
                && !container.getAssignedPartitions().isEmpty());
        produce(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts.get() >= 1);
        assertThat(meters.get("pocketbridge.kafka.consumer.restarts").tag("listener", "test-listener").counter().count())
                .isEqualTo(1.0);
        progress.check();
        assertThat(progress.health().getStatus()).isEqualTo(Status.UP);
    }

    private void start() throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        String group = "progress-" + UUID.randomUUID();
        DefaultKafkaConsumerFactory<String, String> consumers = new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
        ContainerProperties properties = new ContainerProperties(topic);
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setMessageListener((BatchMessageListener<String, String>) this::onBatch);
        container = new KafkaMessageListenerContainer<>(consumers, properties);
        container.setBeanName("test-listener");
        container.setCommonErrorHandler(OrderedConsumption.errorHandler(
                new OrderedConsumption.Retry(Duration.ofMillis(50), 1.0, Duration.ofMillis(50))));
        container.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !container.getAssignedPartitions().isEmpty());
        progress = new ConsumerProgress(Set.of("test-listener"), id -> id.equals("test-listener") ? container : null,
                admin(), new ConsumerProgress.Settings(Duration.ofSeconds(5), STALL_TIMEOUT), clock, meters);
    }

    private void onBatch(List<ConsumerRecord<String, String>> records) {
        attempts.incrementAndGet();
        if (failing.get()) {
            throw new IllegalStateException("the database is away");
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

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()));
    }
}
