package dev.pocketbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.HandshakeException;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.kafka.Deliveries;
import dev.pocketbridge.testsupport.IntegrationTest;
import dev.pocketbridge.testsupport.SharedKafka;
import dev.pocketbridge.testsupport.StructuredLogFile;
import dev.pocketbridge.testsupport.TestIssuer;

/**
 * The one shared context of the gateway's integration tests: the real application on a random
 * port, the JVM's real Kafka, and device-service/event-service replaced by {@link StubServices}.
 * auth-service and relay-service point at a closed port, so they are "down", except for auth-service's
 * service token endpoint, a {@link TestIssuer} whose tokens the stub checks. Devices are device-client's:
 * a {@link DeviceIdentity} each, and {@link DeviceSession}s ({@link #establish}, or {@link #open} for
 * frames of the test's own), each from a loopback address of its own and closed after the test.
 * Its log lines are also written as JSON to a file ({@link StructuredLogFile}).
 */
@IntegrationTest
@Import(GatewayIntegrationTest.TestTopics.class)
@TestPropertySource(properties = {StructuredLogFile.FORMAT, StructuredLogFile.FILE, StructuredLogFile.NO_ROLLING})
public abstract class GatewayIntegrationTest {

    public static final int NODE_ID = 3;
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    /** Requests per client address to each rate-limited REST endpoint (no refill within a test run). */
    public static final int RATE_LIMIT = 5;
    /** Above one session's 100 in flight, so one session alone never meets it. */
    public static final int MAX_NODE_INFLIGHT = 150;
    public static final int OUTBOUND_BUFFER_BYTES = 4 * MAX_FRAME_BYTES;
    public static final int HANDSHAKES_PER_ADDRESS = 20;
    public static final int EVENTS_PER_DEVICE = 120;
    /** How long a test waits for a frame, a handshake or a close. */
    protected static final Duration WAIT = Duration.ofSeconds(10);
    protected static final TestIssuer ISSUER = new TestIssuer();
    protected static final StubServices STUB = new StubServices(ISSUER);
    protected static final Path KEY_FILE;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<DeviceSession> OPEN = new CopyOnWriteArrayList<>();

    /** A local port nothing listens on: connections are refused at once. */
    protected static final String CLOSED_URL;

    static {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            CLOSED_URL = "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            KEY_FILE = Files.createTempDirectory("gateway-identity").resolve("server-identity.key");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    protected int port;
    @LocalManagementPort
    protected int managementPort;

    @Autowired
    protected org.springframework.kafka.core.KafkaTemplate<String, String> kafka;

    @Autowired
    protected dev.pocketbridge.gateway.routing.DeliveriesConsumer deliveriesConsumer;

    @Autowired
    protected Deliveries deliveries;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("pocketbridge.services.device", STUB::url);
        registry.add("pocketbridge.services.event", STUB::url);
        registry.add("pocketbridge.services.auth", () -> CLOSED_URL);
        registry.add("pocketbridge.services.relay", () -> CLOSED_URL);
        // Readiness probes: the stub has none (404), the others are down.
        registry.add("pocketbridge.services.management.device", STUB::url);
        registry.add("pocketbridge.services.management.event", STUB::url);
        registry.add("pocketbridge.services.management.auth", () -> CLOSED_URL);
        registry.add("pocketbridge.services.management.relay", () -> CLOSED_URL);
        registry.add("pocketbridge.internal.token-uri", ISSUER::tokenUri);
        registry.add("pocketbridge.internal.client-secret", () -> TestIssuer.CLIENT_SECRET);
        registry.add("pocketbridge.gateway.identity.key-file", KEY_FILE::toString);
        registry.add("pocketbridge.gateway.routing.node-id", () -> NODE_ID);
        registry.add("pocketbridge.gateway.session.handshake-timeout", () -> "3s");
        registry.add("pocketbridge.gateway.session.pending-timeout", () -> "4s");
        registry.add("pocketbridge.gateway.session.max-frame-bytes", () -> MAX_FRAME_BYTES);
        registry.add("pocketbridge.gateway.session.ping-interval", () -> "500ms");
        registry.add("pocketbridge.gateway.session.idle-timeout", () -> "2s");
        // A fixed admission limit here (the adaptive one is NodeAdmissionTest's).
        registry.add("pocketbridge.gateway.session.max-node-inflight-events", () -> MAX_NODE_INFLIGHT);
        registry.add("pocketbridge.gateway.session.admission-initial-limit", () -> MAX_NODE_INFLIGHT);
        registry.add("pocketbridge.gateway.session.admission-min-limit", () -> MAX_NODE_INFLIGHT);
        registry.add("pocketbridge.gateway.session.ack-flush-interval", () -> "200ms");
        registry.add("pocketbridge.gateway.edge.health-timeout", () -> "1s");
        registry.add("pocketbridge.gateway.session.close-timeout", () -> "2s");
        registry.add("pocketbridge.gateway.session.outbound-buffer-bytes", () -> OUTBOUND_BUFFER_BYTES);
        // Each test connects from an address of its own (randomLoopback()), so one
        // test's burst never meets this; the limits tests make theirs from one address.
        registry.add("pocketbridge.gateway.session.rate-limits.handshakes-per-address", () -> HANDSHAKES_PER_ADDRESS);
        registry.add("pocketbridge.gateway.session.rate-limits.handshake-window", () -> "10m");
        // Above the 101 events a test of backpressure sends at once.
        registry.add("pocketbridge.gateway.session.rate-limits.events-per-device", () -> EVENTS_PER_DEVICE);
        registry.add("pocketbridge.gateway.session.rate-limits.event-window", () -> "10m");
        // Small per-address limits that do not refill during a test; 127.0.0.1 is a trusted proxy
        // (so its X-Forwarded-For is believed), every other 127.x address a client of its own.
        registry.add("pocketbridge.gateway.rate-limits.period", () -> "1h");
        registry.add("pocketbridge.gateway.rate-limits.challenge", () -> RATE_LIMIT);
        registry.add("pocketbridge.gateway.rate-limits.register", () -> RATE_LIMIT);
        registry.add("pocketbridge.gateway.rate-limits.token", () -> RATE_LIMIT);
        registry.add("pocketbridge.gateway.rate-limits.refresh", () -> RATE_LIMIT);
        registry.add("pocketbridge.gateway.rate-limits.pairing-lookup", () -> RATE_LIMIT);
        registry.add("pocketbridge.gateway.rate-limits.trusted-proxies", () -> "127.0.0.1");
        // Each service's part of the API description: its committed copy, from the stub (a new fetch each time).
        for (String service : StubServices.DESCRIBED_SERVICES) {
            registry.add("pocketbridge.gateway.api-docs.locations." + service, () -> STUB.url() + "/docs/" + service);
        }
        registry.add("pocketbridge.gateway.api-docs.refresh-after", () -> "0s");
    }

    /**
     * {@code deliveries} is declared by event-service and relay-service in production, {@code devices},
     * {@code users} and {@code devices.credentials} by device-service.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class TestTopics {
        @Bean
        NewTopic deliveriesTopic() {
            return TopicBuilder.name(Topics.DELIVERIES).partitions(16).build();
        }

        @Bean
        NewTopic devicesTopic() {
            return TopicBuilder.name(Topics.DEVICES).partitions(4).build();
        }

        @Bean
        NewTopic usersTopic() {
            return TopicBuilder.name(Topics.USERS).partitions(4).build();
        }

        @Bean
        NewTopic deviceCredentialsTopic() {
            return TopicBuilder.name(Topics.DEVICE_CREDENTIALS).partitions(4).compact().build();
        }
    }

    /** A small valid event. */
    protected static ClientFrame.SendEvent event(String eventId, long deviceSeq) {
        return new ClientFrame.SendEvent(eventId, deviceSeq, "clip", "text", Base64Url.encode(new byte[16]), null, null);
    }

    protected void awaitDeliveriesAssigned() {
        await().atMost(Duration.ofSeconds(30)).until(deliveriesConsumer::isAssigned);
    }

    /** Publishes to its node's partition of {@code deliveries}, as event-service and relay-service do. */
    protected void deliver(Delivery delivery) {
        kafka.send(deliveries.record(delivery)).join();
    }

    /** A consumer of every partition of {@code topic}, positioned at its end. */
    protected static Consumer<String, String> consumerAtEnd(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.partitionsFor(topic).isEmpty());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    protected static ConsumerRecord<String, String> awaitRecord(Consumer<String, String> consumer,
            Predicate<ConsumerRecord<String, String>> match) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (match.test(r)) {
                    found.add(r);
                }
            });
            return !found.isEmpty();
        });
        return found.getFirst();
    }

    /**
     * A new user's event makes the whole way through this node: handshake, produced to
     * {@code events.inbound} (read with {@code inbound}, a {@link #consumerAtEnd} of it), and its
     * {@code event_ack} back from {@code deliveries} to the device.
     */
    protected void assertEventRoundTrip(Consumer<String, String> inbound) {
        DeviceIdentity device = registeredDevice();
        DeviceSession session = establish(device);
        String eventId = UUID.randomUUID().toString();
        session.send(event(eventId, 1));
        awaitRecord(inbound, r -> r.value().contains(eventId));
        deliver(new Delivery.Outcome(NODE_ID, device.userId(), session.sessionId(),
                new ServerFrame.EventAck(eventId, 1, 1, 1, ServerFrame.EventAck.STORED, false)));
        assertThat(next(session, ServerFrame.EventAck.class).eventId()).isEqualTo(eventId);
        session.close();
    }

    /** A new device of a new user, with a key of its own, unknown to the stub device-service. */
    protected static DeviceIdentity newDevice() {
        return newDevice(UUID.randomUUID().toString(), UUID.randomUUID().toString());
    }

    /** A device with these ids and a new key, unknown to the stub device-service. */
    protected static DeviceIdentity newDevice(String userId, String deviceId) {
        return DeviceIdentity.of(userId, deviceId, DeviceIdentity.newKeyPair(), "test device", "desktop");
    }

    /** A new device of a new user, registered at the stub device-service. */
    protected static DeviceIdentity registeredDevice() {
        return register(newDevice());
    }

    /** Registers {@code device} (its user, its key, active) at the stub device-service, in place of any before. */
    protected static DeviceIdentity register(DeviceIdentity device) {
        STUB.devices.put(device.deviceId(),
                new DeviceCredentials(device.deviceId(), device.userId(), device.publicKeyBase64(), true));
        return device;
    }

    /** Whether the device's handshake is refused {@code authentication_failed} (any other failure fails the test). */
    protected boolean refused(DeviceIdentity device) {
        try {
            establish(device).close();
            return false;
        } catch (HandshakeException e) {
            if (!"authentication_failed".equals(e.code())) {
                throw e;
            }
            return true;
        }
    }

    /** How often the stub device-service was asked for the device. */
    protected static long lookupsOf(DeviceIdentity device) {
        return STUB.deviceLookups.stream().filter(device.deviceId()::equals).count();
    }

    /** A session of {@code device} after the whole handshake, from a loopback address of its own. */
    protected DeviceSession establish(DeviceIdentity device) {
        return establish(device, randomLoopback());
    }

    /** A session of {@code device} after the whole handshake, from {@code address}. */
    protected DeviceSession establish(DeviceIdentity device, InetAddress address) {
        return track(DeviceSession.connect(from(address), webSocketUri(), device, null, WAIT));
    }

    /** An open WebSocket from a loopback address of its own, before any frame: the test sends its own. */
    protected DeviceSession open() {
        return open(randomLoopback());
    }

    /** An open WebSocket from {@code address}, before any frame. */
    protected DeviceSession open(InetAddress address) {
        return track(DeviceSession.open(from(address), webSocketUri(), WAIT));
    }

    private URI webSocketUri() {
        return URI.create("ws://localhost:" + port + "/ws");
    }

    private static HttpClient from(InetAddress address) {
        return HttpClient.newBuilder().localAddress(address).build();
    }

    private static DeviceSession track(DeviceSession session) {
        OPEN.add(session);
        return session;
    }

    /**
     * A loopback address of its own (all of 127.0.0.0/8 reaches this host), so the gateway's
     * handshake limit per client address never counts one test's connections against another's.
     */
    public static InetAddress randomLoopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) (1 + RANDOM.nextInt(254)),
                    (byte) RANDOM.nextInt(256), (byte) (1 + RANDOM.nextInt(254))});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next frame the session received, failing the test when none comes within {@link #WAIT}. */
    protected static ServerFrame next(DeviceSession session) {
        return session.await(frame -> true, WAIT);
    }

    /** The next frame of {@code type} (others stay for later reads), failing the test when none comes in time. */
    protected static <T extends ServerFrame> T next(DeviceSession session, Class<T> type) {
        return session.await(type, frame -> true, WAIT);
    }

    /** The code the server closed the session with, failing the test when it is still open after {@link #WAIT}. */
    protected static int closeCode(DeviceSession session) {
        return session.awaitClose(WAIT);
    }

    @AfterEach
    void closeSessions() {
        OPEN.forEach(DeviceSession::close);
        OPEN.clear();
    }

    protected static Map<String, DeviceCredentials> devices() {
        return STUB.devices;
    }
}
