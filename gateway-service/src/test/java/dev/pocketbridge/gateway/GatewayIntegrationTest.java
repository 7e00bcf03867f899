package dev.pocketbridge.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
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

import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.testsupport.IntegrationTest;
import dev.pocketbridge.testsupport.TestIssuer;

/**
 * The one shared context of the gateway's integration tests: the real application on a random
 * port, the JVM's real Kafka, and device-service/event-service replaced by {@link StubServices}.
 * auth-service and relay-service point at a closed port, so they are "down", except for auth-service's
 * service token endpoint, a {@link TestIssuer} whose tokens the stub checks.
 */
@IntegrationTest
@Import(GatewayIntegrationTest.TestTopics.class)
public abstract class GatewayIntegrationTest {

    public static final int NODE_ID = 3;
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    /** Above one session's 100 in flight, so one session alone never meets it. */
    public static final int MAX_NODE_INFLIGHT = 150;
    protected static final TestIssuer ISSUER = new TestIssuer();
    protected static final StubServices STUB = new StubServices(ISSUER);
    protected static final Path KEY_FILE;
    private static final java.util.List<TestDevice> OPEN = new java.util.concurrent.CopyOnWriteArrayList<>();

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
    }

    /** {@code deliveries} is declared by event-service and relay-service in production. */
    @TestConfiguration(proxyBeanMethods = false)
    static class TestTopics {
        @Bean
        NewTopic deliveriesTopic() {
            return TopicBuilder.name(Topics.DELIVERIES).partitions(16).build();
        }
    }

    /** A device registered at the stub device-service. */
    protected TestDevice registeredDevice() {
        TestDevice device = TestDevice.random();
        STUB.devices.put(device.deviceId,
                new DeviceCredentials(device.deviceId, device.userId, device.publicKey(), true));
        OPEN.add(device);
        return device;
    }

    protected TestDevice track(TestDevice device) {
        OPEN.add(device);
        return device;
    }

    @AfterEach
    void closeDevices() {
        OPEN.forEach(TestDevice::close);
        OPEN.clear();
    }

    protected static Map<String, DeviceCredentials> devices() {
        return STUB.devices;
    }
}
