package dev.pocketbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.InternalApi;
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
