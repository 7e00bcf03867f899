package dev.pocketbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.testsupport.IntegrationTest;
import dev.pocketbridge.testsupport.TestClock;
import dev.pocketbridge.testsupport.TestClockConfiguration;
import dev.pocketbridge.testsupport.HttpTestClient;
import dev.pocketbridge.testsupport.HttpTestClient.Response;

/**
 * Base of every auth-service integration test: the whole service on real PostgreSQL, device-service
 * replaced by {@link DeviceServiceStub}, a controllable clock. Identical configuration in every
 * subclass, so all of them share one Spring context.
 */
@IntegrationTest
@Import(TestClockConfiguration.class)
public abstract class AuthIntegrationTest {

    protected static final DeviceServiceStub DEVICES = DeviceServiceStub.get();
    protected static final String ADMIN_USERNAME = "root";
    protected static final String ADMIN_PASSWORD = "correct horse battery staple";
    /** bcrypt of {@link #ADMIN_PASSWORD}, as a deployment would configure it. */
    private static final String ADMIN_PASSWORD_HASH =
            "{bcrypt}" + new BCryptPasswordEncoder(4).encode(ADMIN_PASSWORD);
    private static final SecureRandom RANDOM = new SecureRandom();

    @DynamicPropertySource
    static void deviceService(DynamicPropertyRegistry registry) {
        registry.add("pocketbridge.services.device", DEVICES::url);
        registry.add("pocketbridge.auth.admin.username", () -> ADMIN_USERNAME);
        registry.add("pocketbridge.auth.admin.password-hash", () -> ADMIN_PASSWORD_HASH);
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected TestClock clock;

    @BeforeEach
    void resetCollaborators() {
        clock.reset();
        DEVICES.reset();
    }

    /** A device with a real Ed25519 key, known to the device-service stub. */
    public record TestDevice(String userId, String deviceId, Ed25519.KeyPair keys) {

        public DeviceCredentials credentials(boolean active) {
            return new DeviceCredentials(deviceId, userId, Base64Url.encode(keys.publicKey()), active);
        }
    }

    protected TestDevice registeredDevice() {
        TestDevice device = new TestDevice(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                Ed25519.KeyPair.generate(RANDOM));
        DEVICES.put(device.credentials(true));
        return device;
    }

    protected void revoke(TestDevice device) {
        DEVICES.put(device.credentials(false));
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
