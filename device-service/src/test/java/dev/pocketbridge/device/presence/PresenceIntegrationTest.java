package dev.pocketbridge.device.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.device.DeviceIntegrationTest;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.SharedKafka;

/** {@code is_online}, {@code last_seen} and {@code devices_online} follow what gateways write to {@code presence}. */
class PresenceIntegrationTest extends DeviceIntegrationTest {

    @Test
    void aDeviceWithAnOpenSessionIsOnlineAndOnceClosedWasLastSeenWhenItClosed() throws Exception {
        TestDevice phone = registered("phone");
        TestDevice laptop = pairedDevices(phone, 1).getFirst();
        int node = 9;
        long epoch = System.nanoTime();
        publish(new Presence.NodeStarted(node, epoch, clock.millis()));
        Presence.SessionOpened open = new Presence.SessionOpened(node, epoch, phone.userId(), laptop.deviceId(), "s-1",
                clock.millis());
        publish(open);

        await().atMost(Duration.ofSeconds(10)).until(() -> laptopOf(get("/api/v1/devices", phone.bearer()), laptop)
                .get("is_online").asBoolean());
        assertThat(laptopOf(get("/api/v1/devices", phone.bearer()), laptop).get("last_seen").asLong())
                .isEqualTo(clock.millis());
        assertThat(get("/api/v1/status", phone.bearer()).json().get("devices_online").asInt()).isEqualTo(1);

        long closedAt = clock.millis() + 1234;
        publish(open.closed(closedAt));

        await().atMost(Duration.ofSeconds(10)).until(() -> !laptopOf(get("/api/v1/devices", phone.bearer()), laptop)
                .get("is_online").asBoolean());
        assertThat(laptopOf(get("/api/v1/devices", phone.bearer()), laptop).get("last_seen").asLong())
                .isEqualTo(closedAt);
        assertThat(laptopOf(get("/api/v1/devices", phone.bearer()), phone).get("last_seen").isNull()).isTrue();
    }

    private static tools.jackson.databind.JsonNode laptopOf(Response list, TestDevice device) {
        return list.json().get("devices").valueStream()
                .filter(d -> d.get("device_id").asString().equals(device.deviceId())).findFirst().orElseThrow();
    }

    private static void publish(Presence presence) throws Exception {
        String servers = SharedKafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic(Topics.PRESENCE, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(Topics.PRESENCE, presence.key(), Json.write(presence))).get();
        }
    }
}
