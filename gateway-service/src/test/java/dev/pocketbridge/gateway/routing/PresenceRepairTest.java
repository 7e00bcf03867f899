package dev.pocketbridge.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.testsupport.SharedKafka;

/**
 * A node's presence survives what happens to it: records the broker did not take (Kafka unreachable:
 * the send fails) are announced again once it takes them, and a node restarted with its clock
 * behind its last life still gets a higher epoch, read back from the real {@code presence} topic.
 */
class PresenceRepairTest {

    private static final int NODE_ID = 7;

    private final AtomicBoolean brokerAway = new AtomicBoolean(true);
    private PresencePublisher publisher;

    @BeforeAll
    static void topic() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.PRESENCE, 6, (short) 1))).all().get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TopicExistsException.class);
        }
    }

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.stop();
        }
    }

    @Test
    void recordsSentWhileTheBrokerWasAwayAreAnnouncedAgainOnceItIsBack() {
        publisher = new PresencePublisher(new FlakyTemplate(), consumers(), Clock.systemUTC(), properties(NODE_ID));
        publisher.start();
        FakeSession stays = session("stays-" + UUID.randomUUID());
        FakeSession leaves = session("leaves-" + UUID.randomUUID());
        publisher.sessionOpened(stays);
        publisher.sessionOpened(leaves);
        publisher.sessionClosed(leaves);
        await().atMost(Duration.ofSeconds(10)).until(publisher::repairPending);

        brokerAway.set(false);

        List<String> keys = readPresenceUntil(Topics.presenceSessionKey(leaves.deviceId(), leaves.sessionId()), true);
        assertThat(keys).contains(Topics.presenceNodeKey(NODE_ID),
                Topics.presenceSessionKey(stays.deviceId(), stays.sessionId()));
        await().atMost(Duration.ofSeconds(10)).until(() -> !publisher.repairPending());
    }

    @Test
    void aNodeRestartedWithItsClockBehindItsLastLifeStillGetsAHigherEpoch() {
        int node = 9;
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        PresencePublisher before = new PresencePublisher(template(), consumers(), ahead, properties(node));
        before.start();
        readPresenceUntil(Topics.presenceNodeKey(node), false);
        before.stop();

        publisher = new PresencePublisher(template(), consumers(), Clock.systemUTC(), properties(node));
        publisher.start();

        assertThat(publisher.epoch()).isGreaterThan(before.epoch());
    }

    @Test
    void aRunningNodeAnnouncesItselfAgainEveryHeartbeatUnderTheSameEpoch() {
        int node = 11;
        publisher = new PresencePublisher(template(), consumers(), Clock.systemUTC(), properties(node));
        publisher.start();

        Function<List<ConsumerRecord<String, String>>, List<Presence>> ofThisLife = records -> records.stream()
                .filter(r -> Topics.presenceNodeKey(node).equals(r.key()) && r.value() != null)
                .map(r -> Json.read(r.value(), Presence.class))
                .filter(p -> p.epoch() == publisher.epoch())
                .toList();
        List<Presence> announcements = ofThisLife.apply(readPresenceUntil(records -> ofThisLife.apply(records).size() >= 3));
        assertThat(announcements).hasOnlyElementsOfType(Presence.NodeStarted.class);
    }

    private static KafkaTemplate<String, String> template() {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer()));
    }

    private static DefaultKafkaConsumerFactory<String, String> consumers() {
        return new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer());
    }

    /** Reads the topic from the beginning until the tombstone of {@code key} has been seen; returns every key read. */
    private static List<String> readPresenceUntil(String key, boolean tombstone) {
        return readPresenceUntil(records -> records.stream()
                .anyMatch(r -> r.key().equals(key) && (r.value() == null) == tombstone)).stream()
                .map(ConsumerRecord::key).toList();
    }

    /** Reads the topic from the beginning until the records read so far satisfy {@code done}; returns them. */
    private static List<ConsumerRecord<String, String>> readPresenceUntil(
            Predicate<List<ConsumerRecord<String, String>>> done) {
        List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PRESENCE).stream()
                    .map(p -> new TopicPartition(Topics.PRESENCE, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return done.test(records);
            });
        }
        return records;
    }

    private static FakeSession session(String deviceId) {
        return new FakeSession("s-" + deviceId, "u-" + deviceId, deviceId);
    }

    private static RoutingProperties properties(int node) {
        return new RoutingProperties(node, Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofMillis(50),
                Duration.ofSeconds(30), 12, 12, 6, Duration.ofSeconds(2), Duration.ofMillis(200),
                Duration.ofMillis(300));
    }

    /** A template over the real broker whose sends fail, as after the delivery timeout, while the broker is "away". */
    private final class FlakyTemplate extends KafkaTemplate<String, String> {

        FlakyTemplate() {
            super(new DefaultKafkaProducerFactory<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer()));
        }

        @Override
        public CompletableFuture<SendResult<String, String>> send(ProducerRecord<String, String> record) {
            if (brokerAway.get()) {
                return CompletableFuture.failedFuture(new TimeoutException("expiring: the broker is away"));
            }
            return super.send(record);
        }
    }
}
