package dev.pocketbridge.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.testsupport.HttpTestClient;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.IntegrationTest;
import dev.pocketbridge.testsupport.TestClock;
import dev.pocketbridge.testsupport.TestClockConfiguration;
import dev.pocketbridge.testsupport.TestIssuer;

/**
 * Base of every device-service integration test: the whole service on real PostgreSQL, auth-service
 * replaced by {@link AuthServiceStub} (challenges and the JWK set of bearer tokens), a controllable
 * clock. Identical configuration in every subclass, so all of them share one Spring context.
 */
@IntegrationTest
@Import(TestClockConfiguration.class)
public abstract class DeviceIntegrationTest {

    protected static final AuthServiceStub AUTH = AuthServiceStub.get();
    protected static final SecureRandom RANDOM = new SecureRandom();

    /** Requests per user and minute to the REST API (well above what any one test makes, but for the limit's own). */
    protected static final int PER_USER_LIMIT = 60;
    /**
     * Pairing-code lookups per minute of the whole instance: above what the other tests of one
     * minute make (the request-body properties look codes up in every try), but for the guard's own.
     */
    protected static final int LOOKUP_LIMIT = 1000;

    @DynamicPropertySource
    static void authService(DynamicPropertyRegistry registry) {
        registry.add("pocketbridge.services.auth", AUTH::url);
        registry.add("pocketbridge.web.rate-limits.per-user", () -> PER_USER_LIMIT);
        registry.add("pocketbridge.web.rate-limits.period", () -> "1m");
        registry.add("pocketbridge.device.pairing.lookup-limit", () -> LOOKUP_LIMIT);
        registry.add("pocketbridge.device.pairing.lookup-period", () -> "1m");
        registry.add("pocketbridge.internal.client-secret", () -> TestIssuer.CLIENT_SECRET);
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
        AUTH.reset();
    }

    /** The registration body as a client sends it. */
    public record RegisterBody(String publicKey, String deviceName, String deviceType, String challenge,
            String signature, String pairingToken) {
    }

    /** A device key and a correctly signed registration body for it over a fresh challenge. */
    protected static RegisterBody signedRegistration(Ed25519.KeyPair keys, String name, String type,
            String pairingToken) {
        String publicKey = Base64Url.encode(keys.publicKey());
        String challenge = AUTH.issueChallenge();
        String signature = Base64Url.encode(keys.sign(Transcripts.register(publicKey, type, challenge)));
        return new RegisterBody(publicKey, name, type, challenge, signature, pairingToken);
    }

    protected static Ed25519.KeyPair newKeys() {
        return Ed25519.KeyPair.generate(RANDOM);
    }

    protected Response register(String name, String pairingToken) {
        return post("/api/v1/devices/register", signedRegistration(newKeys(), name, "desktop", pairingToken));
    }

    /** A registered device with a bearer token for it. */
    public record TestDevice(String userId, String deviceId, String accessToken) {

        public String[] bearer() {
            return new String[] {"Authorization", "Bearer " + accessToken};
        }
    }

    /** Registers a device (a new user without {@code pairingToken}) and asserts it worked. */
    protected TestDevice registered(String name, String pairingToken) {
        Response response = register(name, pairingToken);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        String userId = response.text("user_id");
        String deviceId = response.text("device_id");
        return new TestDevice(userId, deviceId, AUTH.accessToken(userId, deviceId));
    }

    protected TestDevice registered(String name) {
        return registered(name, null);
    }

    /** A pairing code made by {@code device} for a small payload. */
    protected String pairingCode(TestDevice device) {
        Response response = post("/api/v1/pairing", new PairingBody(Base64Url.encode(new byte[] {1, 2, 3})),
                device.bearer());
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.text("code");
    }

    /** A pairing token for {@code device}'s user, obtained through a code as a new device would. */
    protected String pairingToken(TestDevice device) {
        Response response = get("/api/v1/pairing/" + pairingCode(device));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.text("pairing_token");
    }

    /** Registers {@code count} more devices of {@code device}'s user through pairing. */
    protected List<TestDevice> pairedDevices(TestDevice device, int count) {
        List<TestDevice> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(registered("paired " + i, pairingToken(device)));
        }
        return devices;
    }

    public record PairingBody(String encryptedPayload) {
    }

    /** Runs the tasks at once (released together) and returns their results in order. */
    protected static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }

    private final HttpTestClient http = new HttpTestClient(() -> port);
    private final HttpTestClient management = new HttpTestClient(() -> managementPort);

    /** A GET on the management port (the actuator). */
    protected Response getManagement(String path) {
        return management.get(path);
    }

    /** The {@code Authorization} header of a service token, as another service's internal call carries. */
    protected static String[] serviceBearer() {
        return new String[] {"Authorization", "Bearer " + AUTH.serviceToken()};
    }

    protected Response get(String path, String... headers) {
        return http.get(path, headers);
    }

    protected Response post(String path, Object body, String... headers) {
        return http.post(path, body, headers);
    }

    protected Response delete(String path, String... headers) {
        return http.delete(path, headers);
    }

    protected Response patch(String path, Object body, String... headers) {
        return http.patch(path, body, headers);
    }

    /** Asserts the RFC 9457 shape every error has, and returns the {@code code}. */
    protected static String problemCode(Response response, int status) {
        return HttpTestClient.problemCode(response, status);
    }
}
