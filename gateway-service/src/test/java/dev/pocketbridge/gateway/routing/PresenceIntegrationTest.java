package dev.pocketbridge.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.testsupport.SharedKafka;

class PresenceIntegrationTest extends GatewayIntegrationTest {

    @Test
    void theNodeEpochAndEachSessionsOpenCloseAndTombstoneArePublishedInOrder() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PRESENCE).stream()
                    .map(p -> new TopicPartition(Topics.PRESENCE, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<Presence> seen = new CopyOnWriteArrayList<>();
            List<String> keys = new CopyOnWriteArrayList<>();
            List<String> tombstones = new CopyOnWriteArrayList<>();
            List<Integer> sessionPartitions = new CopyOnWriteArrayList<>();

            DeviceIdentity device = registeredDevice();
            DeviceSession connection = establish(device);
            String sessionId = connection.sessionId();
            connection.close();

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    keys.add(r.key());
                    if (r.value() == null) {
                        tombstones.add(r.key());
                    } else {
                        seen.add(Json.read(r.value(), Presence.class));
                    }
                    if (r.key().startsWith(device.deviceId())) {
                        sessionPartitions.add(r.partition());
                    }
                });
                return tombstones.contains(Topics.presenceSessionKey(device.deviceId(), sessionId));
            });
            assertThat(seen).anySatisfy(p -> {
                assertThat(p).isInstanceOf(Presence.NodeStarted.class);
                assertThat(p.nodeId()).isEqualTo(NODE_ID);
            });
            assertThat(keys).contains(Topics.presenceNodeKey(NODE_ID),
                    Topics.presenceSessionKey(device.deviceId(), sessionId));
            List<Presence.Session> session = seen.stream()
                    .filter(p -> p instanceof Presence.Session s && sessionId.equals(s.sessionId()))
                    .map(Presence.Session.class::cast).toList();
            assertThat(session).extracting(Object::getClass)
                    .containsExactly(Presence.SessionOpened.class, Presence.SessionClosed.class);
            // open, close and tombstone of one device share a partition, so they stay in order
            assertThat(sessionPartitions).hasSize(3).containsOnly(sessionPartitions.getFirst());
            assertThat(session).allSatisfy(p -> {
                assertThat(p.userId()).isEqualTo(device.userId());
                assertThat(p.deviceId()).isEqualTo(device.deviceId());
                assertThat(p.nodeId()).isEqualTo(NODE_ID);
            });
        }
    }
}
