package dev.pocketbridge.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.common.internal.DevicePositions;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.DeviceAck;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.testsupport.HttpTestClient;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.IntegrationTest;
import dev.pocketbridge.testsupport.KafkaTap;
import dev.pocketbridge.testsupport.SharedKafka;
import dev.pocketbridge.testsupport.TestClock;
import dev.pocketbridge.testsupport.TestIssuer;

/**
 * Base of every event-service integration test: the whole service on real PostgreSQL and Kafka,
 * a controllable clock, plain Kafka clients on the test side, and auth-service replaced by a
 * {@link TestIssuer} (the JWK set of service tokens). The configuration is identical in every
 * subclass, so all of them share one Spring context; each test uses fresh user ids. The
 * scheduled retention purge runs only at start-up here: the tests that need it run it themselves.
 */
@IntegrationTest
@Import(EventServiceTestConfiguration.class)
@TestPropertySource(properties = {
        "pocketbridge.event.retention.purge-interval=1h",
        // Small erasure chunks, so a test user's few events already take several.
        "pocketbridge.event.erasure.batch-size=7",
        // A per-user limit a test reaches in a few dozen requests (the test clock never refills it).
        "pocketbridge.web.rate-limits.per-user=40",
        // events.analytics on, under a key of the tests (AnalyticsIntegrationTest recomputes pseudonyms from it).
        "pocketbridge.analytics.enabled=true",
        "pocketbridge.analytics.key=" + EventServiceIntegrationTest.ANALYTICS_KEY})
public abstract class EventServiceIntegrationTest {

    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected static final String GROUP = "event-service";
    /** The analytics key of the tests: 32 bytes, base64url. */
    protected static final String ANALYTICS_KEY = "dGhlIGFuYWx5dGljcyBrZXkgb2YgdGhlIHRlc3RzIQ0";
    protected static final TestIssuer AUTH = new TestIssuer();
    /** device-service's device lookup, on {@link #AUTH}'s port. */
    protected static final DeviceServiceStub DEVICES = new DeviceServiceStub(AUTH);
    private static KafkaProducer<String, String> producer;
    private static KafkaTap tap;

    @DynamicPropertySource
    static void otherServices(DynamicPropertyRegistry registry) {
        registry.add("pocketbridge.services.auth", AUTH::url);
        registry.add("pocketbridge.services.device", AUTH::url);
        registry.add("pocketbridge.internal.client-secret", () -> TestIssuer.CLIENT_SECRET);
    }

    @LocalServerPort
    protected int port;
    @LocalManagementPort
    protected int managementPort;
    @Autowired
    protected TestClock clock;

    @BeforeEach
    void resetClockAndStartClients() {
        clock.reset();
        DEVICES.failing(false);
        startClients();
    }

    private static synchronized void startClients() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.ACKS_CONFIG, "all"));
            // The service created these topics when its context started.
            tap = new KafkaTap(SharedKafka.bootstrapServers(), List.of(Topics.EVENTS_STORED, Topics.DELIVERIES,
                    Topics.EVENTS_INBOUND + Topics.DEAD_LETTER_SUFFIX, Topics.USERS + Topics.DEAD_LETTER_SUFFIX,
                    Topics.DEVICES + Topics.DEAD_LETTER_SUFFIX, Topics.EVENTS_ANALYTICS));
        }
    }

    // --- test data -------------------------------------------------------------------------

    /** A user with one sending device on gateway node {@code nodeId}. */
    protected record Sender(String userId, String deviceId, Origin origin) {

        public static Sender create(int nodeId) {
            return new Sender(uuid(), uuid(), new Origin(nodeId, uuid()));
        }

        public Sender otherDevice() {
            return new Sender(userId, uuid(), new Origin(origin.nodeId(), uuid()));
        }

        public InboundEvent event(long deviceSeq, String streamId) {
            return event(uuid(), deviceSeq, streamId, null, null);
        }

        /** An event whose payload is {@code payload} (its size counts: quota, replay pages). */
        public InboundEvent event(long deviceSeq, byte[] payload) {
            return event(deviceSeq, payload, null);
        }

        public InboundEvent event(long deviceSeq, byte[] payload, Long expiresAt) {
            return InboundEvent.of(userId, deviceId, origin, System.currentTimeMillis(), new ClientFrame.SendEvent(
                    uuid(), deviceSeq, "s", "note", Base64Url.encode(payload), expiresAt, null));
        }

        public InboundEvent event(String eventId, long deviceSeq, String streamId, Long baseStreamSeq, Long expiresAt) {
            return InboundEvent.of(userId, deviceId, origin, System.currentTimeMillis(), new ClientFrame.SendEvent(
                    eventId, deviceSeq, streamId, "note", Base64Url.encode(("payload " + eventId).getBytes()),
                    expiresAt, baseStreamSeq));
        }
    }

    protected static String uuid() {
        return UUID.randomUUID().toString();
    }

    // --- Kafka -------------------------------------------------------------------------------

    protected static void send(String topic, String key, String value) {
        send(new ProducerRecord<>(topic, key, value));
    }

    protected static void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void sendInbound(InboundEvent event) {
        send(Topics.EVENTS_INBOUND, event.userId(), Json.write(event));
    }

    protected static void sendAck(String userId, String deviceId, long seq) {
        send(Topics.ACKS, userId, Json.write(new DeviceAck(Topics.SCHEMA_VERSION, userId, deviceId, seq,
                System.currentTimeMillis())));
    }

    /** Publishes an account change as device-service does: to its topic, keyed by {@code user_id}. */
    protected static void sendAccountChange(AccountChange change) {
        send(change.topic(), change.userId(), Json.write(change));
    }

    /**
     * Waits until the service's group has committed everything produced to {@code topics} so far:
     * every record on them has been processed (the listeners commit only after their work).
     */
    protected static void awaitConsumed(String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topics)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .forEach((name, topic) -> topic.partitions().forEach(
                            p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            await().atMost(WAIT).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                        || (committed.get(end.getKey()) != null
                                && committed.get(end.getKey()).offset() >= end.getValue()));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records dead-lettered from {@code topic} with this key. */
    protected static List<ConsumerRecord<String, String>> deadLetters(String topic, String key) {
        return tap.records(topic + Topics.DEAD_LETTER_SUFFIX, key);
    }

    /** Everything published to {@code events.stored} for the user, in order. */
    protected static List<StoredEvent> stored(String userId) {
        return tap.records(Topics.EVENTS_STORED, userId).stream()
                .map(r -> Json.read(r.value(), StoredEvent.class)).toList();
    }

    /** Waits until {@code count} outcomes of the user are on {@code events.stored} and returns them all. */
    protected static List<StoredEvent> awaitStored(String userId, int count) {
        await().atMost(WAIT).until(() -> stored(userId).size() >= count);
        return stored(userId);
    }

    /** Records on {@code events.analytics} keyed {@code userPseudonym}. */
    protected static List<ConsumerRecord<String, String>> analytics(String userPseudonym) {
        return tap.records(Topics.EVENTS_ANALYTICS, userPseudonym);
    }

    /** The records of {@code events.stored} for the user, with their headers. */
    protected static List<ConsumerRecord<String, String>> storedRecords(String userId) {
        return tap.records(Topics.EVENTS_STORED, userId);
    }

    protected static List<ConsumerRecord<String, String>> deliveries(String userId) {
        return tap.records(Topics.DELIVERIES, userId);
    }

    protected static List<ConsumerRecord<String, String>> deadLetters(String key) {
        return tap.records(Topics.EVENTS_INBOUND + Topics.DEAD_LETTER_SUFFIX, key);
    }

    protected static Delivery delivery(ConsumerRecord<String, String> record) {
        return Json.read(record.value(), Delivery.class);
    }

    /** Sends events and waits for all their outcomes; returns the user's stored outcomes. */
    protected static List<StoredEvent> storeAll(Sender sender, List<InboundEvent> events) {
        int before = stored(sender.userId()).size();
        events.forEach(EventServiceIntegrationTest::sendInbound);
        return awaitStored(sender.userId(), before + events.size());
    }

    // --- HTTP --------------------------------------------------------------------------------
    private final HttpTestClient http = new HttpTestClient(() -> port);
    private final HttpTestClient management = new HttpTestClient(() -> managementPort);

    /** A GET as the gateway makes it: with a service token, unless {@code headers} carry an {@code Authorization}. */
    protected Response get(String path, String... headers) {
        return http.get(path, withServiceToken(headers));
    }

    /** {@link #get} with the body kept as bytes. */
    protected HttpResponse<byte[]> getBytes(String path, String... headers) {
        return http.getBytes(path, withServiceToken(headers));
    }

    private static String[] withServiceToken(String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Authorization")) {
                return headers;
            }
        }
        String[] withToken = Arrays.copyOf(headers, headers.length + 2);
        withToken[headers.length] = "Authorization";
        withToken[headers.length + 1] = "Bearer " + AUTH.serviceToken();
        return withToken;
    }

    /** A GET with exactly {@code headers}: no service token unless they carry one. */
    protected Response getWithHeaders(String path, String... headers) {
        return http.get(path, headers);
    }

    /** A GET on the management port (the actuator). */
    protected Response getManagement(String path) {
        return management.get(path);
    }

    protected Response post(String path, Object body, String... headers) {
        return http.post(path, body, headers);
    }

    /** The body of a {@link InternalApi#DEVICE_POSITIONS} call about one device. */
    protected static DevicePositions.Query positionsQuery(String userId, String deviceId) {
        return new DevicePositions.Query(List.of(new DevicePositions.UserDevice(userId, deviceId)));
    }

    /** The device's position as the gateway asks for it: a batch of one, with a service token. */
    protected DevicePosition position(String userId, String deviceId) {
        Response response = post(InternalApi.DEVICE_POSITIONS, positionsQuery(userId, deviceId),
                "Authorization", "Bearer " + AUTH.serviceToken());
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        List<DevicePosition> positions = Json.read(response.raw().body(), DevicePositions.Answer.class).positions();
        assertThat(positions).hasSize(1);
        return positions.getFirst();
    }

    /** Asserts the RFC 9457 shape every error has, and returns the {@code code}. */
    protected static String problemCode(Response response, int status) {
        return HttpTestClient.problemCode(response, status);
    }
}
