package dev.pocketbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.testsupport.HttpTestClient;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.IntegrationTest;
import dev.pocketbridge.testsupport.StructuredLogFile;
import dev.pocketbridge.testsupport.TestClock;
import dev.pocketbridge.testsupport.TestClockConfiguration;

/**
 * Base of every auth-service integration test: the whole service on real PostgreSQL and Kafka,
 * device-service replaced by {@link DeviceServiceStub} (and its account changes by records the test
 * {@link #publish publishes}), a controllable clock, its log lines also as JSON in a file
 * ({@link StructuredLogFile}), with a line per REST request. Identical configuration in every subclass, so
 * all of them share one Spring context.
 */
@IntegrationTest
@Import({TestClockConfiguration.class, AuthTestTopics.class})
@TestPropertySource(properties = {StructuredLogFile.FORMAT, StructuredLogFile.FILE, StructuredLogFile.NO_ROLLING,
        "logging.level.dev.pocketbridge.web.RequestLogContext=debug"})
public abstract class AuthIntegrationTest {

    protected static final DeviceServiceStub DEVICES = DeviceServiceStub.get();
    protected static final String ADMIN_USERNAME = "root";
    protected static final String ADMIN_PASSWORD = "correct horse battery staple";
    /** bcrypt of {@link #ADMIN_PASSWORD}, as a deployment would configure it. */
    private static final String ADMIN_PASSWORD_HASH =
            "{bcrypt}" + new BCryptPasswordEncoder(4).encode(ADMIN_PASSWORD);
    /** The service client every other service authenticates with at the token endpoint. */
    protected static final String CLIENT_ID = "pocketbridge-services";
    protected static final String CLIENT_SECRET = "service-client-secret-for-tests";
    private static final SecureRandom RANDOM = new SecureRandom();

    @DynamicPropertySource
    static void deviceService(DynamicPropertyRegistry registry) {
        registry.add("pocketbridge.services.device", DEVICES::url);
        registry.add("pocketbridge.auth.admin.username", () -> ADMIN_USERNAME);
        registry.add("pocketbridge.auth.admin.password-hash", () -> ADMIN_PASSWORD_HASH);
        registry.add("pocketbridge.internal.client-secret", () -> CLIENT_SECRET);
    }

    @LocalServerPort
    protected int port;
    @LocalManagementPort
    protected int managementPort;
    @Autowired
    protected TestClock clock;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    private KafkaTemplate<String, String> kafka;

    @BeforeEach
    void resetCollaborators() {
        clock.reset();
        DEVICES.reset();
        DEVICES.clock(clock);
    }

    /** A device with a real Ed25519 key, known to the device-service stub. */
    public record TestDevice(String userId, String deviceId, Ed25519.KeyPair keys) {

        public DeviceCredentials credentials(boolean active) {
            return credentials(active, null);
        }

        public DeviceCredentials credentials(boolean active, Instant tokensNotBefore) {
            return new DeviceCredentials(deviceId, userId, Base64Url.encode(keys.publicKey()), active,
                    tokensNotBefore == null ? null : tokensNotBefore.toEpochMilli());
        }
    }

    protected TestDevice registeredDevice() {
        return registeredDevice(UUID.randomUUID().toString());
    }

    /** Another device of {@code userId}. */
    protected TestDevice registeredDevice(String userId) {
        TestDevice device = new TestDevice(userId, UUID.randomUUID().toString(), Ed25519.KeyPair.generate(RANDOM));
        DEVICES.put(device.credentials(true));
        return device;
    }

    /** Revoked at device-service, as an admin's revocation leaves it (tokens issued before now cut off). */
    protected void revoke(TestDevice device) {
        DEVICES.put(device.credentials(false, clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    }

    /** Unknown to device-service, as after its removal or its user's deletion. */
    protected void remove(TestDevice device) {
        DEVICES.remove(device.deviceId());
    }

    /** Publishes an account change as device-service's outbox does: to its topic, keyed by its user. */
    protected void publish(AccountChange change) {
        publishRaw(change.topic(), change.userId(), Json.write(change));
    }

    protected void publishRaw(String topic, String key, String value) {
        try {
            kafka.send(topic, key, value).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** Rows of any auth-service table whose text contains one of {@code ids}. */
    protected long rowsNaming(String... ids) {
        List<String> tables = jdbc.sql("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'""")
                .query(String.class).list();
        assertThat(tables).contains("challenges", "signing_keys", "refresh_token_families", "refresh_tokens",
                "pending_sign_outs");
        long rows = 0;
        for (String table : tables) {
            for (String id : ids) {
                rows += jdbc.sql("SELECT count(*) FROM " + table + " t WHERE position(? in t::text) > 0")
                        .param(id).query(Long.class).single();
            }
        }
        return rows;
    }

    protected String tokenChallenge(String deviceId) {
        Response response = post("/api/v1/auth/challenge",
                "{\"purpose\":\"token\",\"device_id\":\"" + deviceId + "\"}");
        assertThat(response.status()).isEqualTo(201);
        return response.text("challenge");
    }

    /** {@code POST /api/v1/auth/token} signed by the device over a fresh challenge. */
    protected Response login(TestDevice device) {
        String challenge = tokenChallenge(device.deviceId());
        String signature = Base64Url.encode(device.keys().sign(Transcripts.token(device.deviceId(), challenge)));
        return post("/api/v1/auth/token", new TokenBody(device.deviceId(), challenge, signature));
    }

    public record TokenBody(String deviceId, String challenge, String signature) {
    }

    private final HttpTestClient http = new HttpTestClient(() -> port);
    private final HttpTestClient management = new HttpTestClient(() -> managementPort);

    /** A GET on the management port (the actuator). */
    protected Response getManagement(String path) {
        return management.get(path);
    }

    /** {@code POST /internal/v1/oauth2/token} with the client's Basic credentials and {@code form}. */
    protected Response requestServiceToken(String clientId, String secret, String form) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return postForm(InternalApi.SERVICE_TOKEN, form, "Authorization", "Basic " + basic);
    }

    protected Response postForm(String path, String form, String... headers) {
        return http.postForm(path, form, headers);
    }

    /** The {@code Authorization} header of a service token fetched from the token endpoint, as another service sends it. */
    protected String[] serviceBearer() {
        Response response = requestServiceToken(CLIENT_ID, CLIENT_SECRET, "grant_type=client_credentials");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return new String[] {"Authorization", "Bearer " + response.text("access_token")};
    }

    protected Response get(String path, String... headers) {
        return http.get(path, headers);
    }

    protected Response post(String path, Object body, String... headers) {
        return http.post(path, body, headers);
    }

    /** Asserts the RFC 9457 shape every error has, and returns the {@code code}. */
    protected static String problemCode(Response response, int status) {
        return HttpTestClient.problemCode(response, status);
    }
}
