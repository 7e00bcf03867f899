package dev.pocketbridge.e2e;

import static dev.pocketbridge.e2e.Fixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.ApiError;
import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ServerFrame.EventAck;
import dev.pocketbridge.testsupport.RowsNaming;
import dev.pocketbridge.testsupport.SharedPostgres;

/**
 * PROTOCOL §2.2, §2.3, §3.5 through real processes: a removed or revoked device, and every device of
 * a deleted user, is cut off within a second (its sessions closed with 4003, measured here from the
 * REST answer to the close frame on a real socket), cannot come back, and a deleted user leaves no
 * row in any service's database within 60 s.
 */
class AccountLifecycleIT {

    /** PROTOCOL §3.5: sessions of a revoked or removed device, or of a deleted user, close within 1 s. */
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void system() {
        RunningSystem.get();
    }

    @Test
    void anAdminsRevocationClosesTheDevicesSessionsWith4003WithinASecondAndItStaysOut() throws Exception {
        Device laptop = Fixture.newUser(0, "laptop");
        Device phone = Fixture.pairedWith(laptop, 1, "phone");
        try (DeviceSession laptopSession = laptop.connect(); DeviceSession phoneSession = phone.connect()) {
            Closing closing = Closing.of(phoneSession);

            int status = post("/api/v1/admin/devices/" + phone.identity().deviceId() + "/revoke",
                    "{\"reason\":\"lost on a train\"}", "Bearer " + adminToken());

            assertThat(status).isEqualTo(200);
            closing.assertClosedWith4003Within(CLOSE_BOUND);
            assertThat(laptopSession.isClosed()).isFalse();
            assertThatThrownBy(phone::connect).as("its handshakes fail");
            assertThatThrownBy(phone::listDevices).isInstanceOfSatisfying(ApiError.class,
                    e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    @Test
    void aRemovedDevicesSessionsCloseWith4003WithinASecondAndItsTokensStopWorking() {
        Device laptop = Fixture.newUser(1, "laptop");
        Device phone = Fixture.pairedWith(laptop, 0, "phone");
        String phoneToken = phone.accessToken();
        try (DeviceSession laptopSession = laptop.connect(); DeviceSession phoneSession = phone.connect()) {
            Closing closing = Closing.of(phoneSession);

            laptop.removeDevice(phone.identity().deviceId());

            closing.assertClosedWith4003Within(CLOSE_BOUND);
            assertThat(laptopSession.isClosed()).isFalse();
            assertThatThrownBy(() -> phone.api().listDevices(phoneToken)).isInstanceOfSatisfying(ApiError.class,
                    e -> assertThat(e.status()).isEqualTo(401));
            assertThat(laptop.listDevices().count()).isEqualTo(1);
        }
    }

    @Test
    void aDeletedUsersSessionsAllCloseWithinASecondWhileSendingAndNoServiceKeepsARowAboutThemWithinAMinute()
            throws Exception {
        Device laptop = Fixture.newUser(0, "laptop");
        Device phone = Fixture.pairedWith(laptop, 1, "phone");
        Device stranger = Fixture.newUser(1, "stranger");
        List<String> ids = List.of(laptop.identity().userId(), laptop.identity().deviceId(),
                phone.identity().deviceId());
        try (DeviceSession laptopSession = laptop.connect(); DeviceSession phoneSession = phone.connect();
                DeviceSession strangerSession = stranger.connect()) {
            for (int i = 0; i < 5; i++) {
                assertThat(laptopSession.sendAndAwait(laptopSession.newEvent("notes", "note.v1", new byte[] {1, 2, 3}),
                        WAIT)).isInstanceOf(EventAck.class);
            }
            phoneSession.ack(5);
            Closing laptopClosing = Closing.of(laptopSession);
            Closing phoneClosing = Closing.of(phoneSession);
            // Still sending when the account goes: these are in flight through Kafka during the deletion.
            for (int i = 0; i < 50; i++) {
                phoneSession.send(phoneSession.newEvent("notes", "note.v1", new byte[] {4, 5, 6}));
            }

            assertThat(laptop.deleteUser().status()).isEqualTo("deletion_started");

            laptopClosing.assertClosedWith4003Within(CLOSE_BOUND);
            phoneClosing.assertClosedWith4003Within(CLOSE_BOUND);
            assertThat(strangerSession.isClosed()).isFalse();
        }
        assertThatThrownBy(laptop::connect).as("its handshakes fail");
        await("every service erased the user").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(rowsNaming(ids)).isEmpty());
        assertThat(stranger.listDevices().count()).isEqualTo(1);
    }

    /** database → table → rows naming any of {@code ids}, over every service's database. */
    private static Map<String, Map<String, Long>> rowsNaming(List<String> ids) throws Exception {
        Map<String, Map<String, Long>> found = new LinkedHashMap<>();
        for (String name : List.of("pocketbridge_auth", "pocketbridge_device", "pocketbridge_event")) {
            SharedPostgres.Database db = SharedPostgres.database(name);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
                Map<String, Long> rows = RowsNaming.in(c, ids.toArray(String[]::new));
                if (!rows.isEmpty()) {
                    found.put(name, rows);
                }
            }
        }
        return found;
    }

    /** When a session's close frame arrived, taken the moment it did, and its code. */
    private record Closing(CompletableFuture<Long> closedAt, DeviceSession session) {

        static Closing of(DeviceSession session) {
            return new Closing(session.closeFuture().thenApply(code -> System.nanoTime()), session);
        }

        void assertClosedWith4003Within(Duration bound) {
            long answered = System.nanoTime();
            assertThat(session.awaitClose(Duration.ofSeconds(10))).isEqualTo(CloseCodes.DEVICE_REVOKED);
            Duration took = Duration.ofNanos(Math.max(0, closedAt.join() - answered));
            System.out.printf("session %s closed with 4003 %d ms after the REST answer%n", session.sessionId(),
                    took.toMillis());
            assertThat(took).isLessThanOrEqualTo(bound);
        }
    }

    private static String adminToken() throws Exception {
        String basic = Base64.getEncoder().encodeToString(
                ("admin:" + RunningSystem.get().adminPassword()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(RunningSystem.get().gateway(0) + "/api/v1/auth/admin/token"))
                .header("Authorization", "Basic " + basic).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.read(response.body(), Map.class).get("access_token").toString();
    }

    private static int post(String path, String body, String authorization) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(RunningSystem.get().gateway(0) + path))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
