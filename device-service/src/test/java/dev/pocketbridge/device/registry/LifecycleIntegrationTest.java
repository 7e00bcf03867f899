package dev.pocketbridge.device.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.DeviceCredentialsRecord;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.device.DeviceIntegrationTest;
import dev.pocketbridge.kafka.AccountChangeRecords;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.KafkaTap;
import dev.pocketbridge.testsupport.RowsNaming;
import dev.pocketbridge.testsupport.SharedKafka;
import dev.pocketbridge.testsupport.TestIssuer;

/** Removing devices, deleting accounts, revocation and sign-out (PROTOCOL §2.2, §2.3), over real HTTP, PostgreSQL and Kafka. */
class LifecycleIntegrationTest extends DeviceIntegrationTest {

    private static KafkaTap tap;

    @Autowired
    private DataSource dataSource;

    private static synchronized KafkaTap tap() {
        if (tap == null) {
            tap = new KafkaTap(SharedKafka.bootstrapServers(),
                    List.of(Topics.DEVICES, Topics.USERS, Topics.DEVICE_CREDENTIALS));
        }
        return tap;
    }

    @Test
    void aUserRemovesOneOfItsDevicesWhoseTokensCodesAndCredentialsEndAtOnce() {
        TestDevice phone = registered("phone");
        TestDevice laptop = pairedDevices(phone, 1).getFirst();
        String laptopCode = pairingCode(laptop);
        String phoneCode = pairingCode(phone);

        Response removed = delete("/api/v1/devices/" + laptop.deviceId(), phone.bearer());

        assertThat(removed.status()).as(removed.raw().body()).isEqualTo(204);
        assertThat(get("/api/v1/devices", laptop.bearer()).status()).isEqualTo(401);
        assertThat(get("/internal/v1/devices/" + laptop.deviceId(), serviceBearer()).status()).isEqualTo(404);
        assertThat(get("/api/v1/pairing/" + laptopCode).status()).as("its pairing codes die with it").isEqualTo(404);
        assertThat(get("/api/v1/pairing/" + phoneCode).status()).as("the other device's codes live").isEqualTo(200);
        Response list = get("/api/v1/devices", phone.bearer());
        assertThat(list.json().get("count").asInt()).isEqualTo(1);
        assertThat(changes(Topics.DEVICES, phone.userId()))
                .containsExactly(new AccountChange.DeviceRemoved(phone.userId(), laptop.deviceId(),
                        changes(Topics.DEVICES, phone.userId()).getFirst().at()));
    }

    @Test
    void anotherUsersDeviceOrAnUnknownOneCannotBeRemoved() {
        TestDevice mine = registered("mine");
        TestDevice theirs = registered("theirs");

        assertThat(problemCode(delete("/api/v1/devices/" + theirs.deviceId(), mine.bearer()), 404)).isEqualTo("not_found");
        assertThat(problemCode(delete("/api/v1/devices/" + UUID.randomUUID(), mine.bearer()), 404)).isEqualTo("not_found");
        assertThat(problemCode(delete("/api/v1/devices/not-a-uuid", mine.bearer()), 404)).isEqualTo("not_found");
        assertThat(get("/api/v1/devices", theirs.bearer()).status()).isEqualTo(200);
    }

    @Test
    void deletingTheAccountLeavesNoRowAboutTheUserAndAnnouncesItOnce() {
        TestDevice phone = registered("phone");
        TestDevice laptop = pairedDevices(phone, 1).getFirst();
        pairingCode(laptop);
        pairingToken(phone);
        revoke(laptop.deviceId(), "stolen laptop of Alice");

        Response deleted = delete("/api/v1/user", phone.bearer());

        assertThat(deleted.status()).as(deleted.raw().body()).isEqualTo(202);
        assertThat(deleted.text("status")).isEqualTo("deletion_started");
        assertThat(get("/api/v1/devices", phone.bearer()).status()).isEqualTo(401);
        assertThat(get("/internal/v1/devices/" + phone.deviceId(), serviceBearer()).status()).isEqualTo(404);
        List<AccountChange> announced = changes(Topics.USERS, phone.userId());
        assertThat(announced).hasSize(1).first().isInstanceOfSatisfying(AccountChange.UserDeleted.class,
                d -> assertThat(d.deviceIds()).containsExactlyInAnyOrder(phone.deviceId(), laptop.deviceId()));
        // The published change leaves the outbox; then nothing in this database names the user or a device.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rowsNaming(phone.userId(),
                phone.deviceId(), laptop.deviceId())).isEmpty());
        Response audit = get("/api/v1/admin/audit?limit=500", adminBearer());
        assertThat(audit.json().get("entries").valueStream()
                .filter(e -> e.get("action").asString().equals("user_deleted"))
                .filter(e -> e.get("request_id").asString().equals(deleted.raw().headers()
                        .firstValue("X-Request-ID").orElseThrow()))
                .toList()).singleElement()
                .satisfies(e -> assertThat(e.get("actor").asString()).isEqualTo("account_holder"));
    }

    @Test
    void anAdminRevokesAndRestoresADeviceAndEveryActionIsAudited() {
        TestDevice phone = registered("phone");
        String tokenBefore = phone.accessToken();
        clock.advance(Duration.ofSeconds(5));

        Response revoked = post("/api/v1/admin/devices/" + phone.deviceId() + "/revoke",
                new Reason("lost on a train"), adminBearer());

        assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(200);
        assertThat(revoked.text("reason")).isEqualTo("lost on a train");
        assertThat(get("/api/v1/devices", phone.bearer()).status()).isEqualTo(401);
        assertThat(get("/internal/v1/devices/" + phone.deviceId(), serviceBearer()).json().get("active").asBoolean())
                .isFalse();
        assertThat(get("/api/v1/admin/devices/revoked", adminBearer()).json().get("devices").valueStream()
                .map(d -> d.get("device_id").asString())).contains(phone.deviceId());

        Response restored = post("/api/v1/admin/devices/" + phone.deviceId() + "/unrevoke", null, adminBearer());

        assertThat(restored.status()).as(restored.raw().body()).isEqualTo(200);
        assertThat(restored.json().get("active").asBoolean()).isTrue();
        assertThat(get("/api/v1/devices", "Authorization", "Bearer " + tokenBefore).status())
                .as("tokens from before the revocation stay cut off").isEqualTo(401);
        String tokenAfter = tokenIssuedAt(phone, clock.instant().plusSeconds(1));
        assertThat(get("/api/v1/devices", "Authorization", "Bearer " + tokenAfter).status()).isEqualTo(200);
        List<AccountChange> changes = changes(Topics.DEVICES, phone.userId());
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0)).isInstanceOfSatisfying(AccountChange.DeviceRevoked.class,
                r -> assertThat(r.reason()).isEqualTo("lost on a train"));
        assertThat(changes.get(1)).isInstanceOf(AccountChange.DeviceUnrevoked.class);
        List<String> actions = get("/api/v1/admin/audit", adminBearer()).json().get("entries").valueStream()
                .filter(e -> phone.deviceId().equals(e.path("device_id").asString(null)))
                .map(e -> e.get("action").asString() + " by " + e.get("actor").asString())
                .toList();
        assertThat(actions).containsExactly("device_unrevoked by admin:root", "device_revoked by admin:root");
    }

    @Test
    void adminEndpointsRefuseDeviceTokensAndUnknownDevices() {
        TestDevice phone = registered("phone");

        assertThat(problemCode(post("/api/v1/admin/devices/" + phone.deviceId() + "/revoke", new Reason("x"),
                phone.bearer()), 403)).isEqualTo("forbidden");
        assertThat(problemCode(get("/api/v1/admin/audit", phone.bearer()), 403)).isEqualTo("forbidden");
        assertThat(problemCode(post("/api/v1/admin/devices/" + UUID.randomUUID() + "/revoke", new Reason("x"),
                adminBearer()), 404)).isEqualTo("not_found");
        assertThat(problemCode(post("/api/v1/admin/devices/" + phone.deviceId() + "/revoke", new Reason(" "),
                adminBearer()), 400)).isEqualTo("invalid_request");
        assertThat(problemCode(get("/api/v1/devices", adminBearer()), 403)).isEqualTo("forbidden");
    }

    @Test
    void theAuditLogIsReadNewestFirstInPages() {
        TestDevice phone = registered("phone");
        for (int i = 0; i < 3; i++) {
            revoke(phone.deviceId(), "reason " + i);
        }

        Response first = get("/api/v1/admin/audit?limit=2", adminBearer());
        long next = first.json().get("next_before").asLong();
        Response second = get("/api/v1/admin/audit?limit=2&before=" + next, adminBearer());

        assertThat(first.json().get("entries").valueStream().map(e -> e.get("reason").asString()))
                .containsExactly("reason 2", "reason 1");
        assertThat(second.json().get("entries").get(0).get("reason").asString()).isEqualTo("reason 0");
        assertThat(second.json().get("entries").get(0).get("id").asLong()).isLessThan(next);
        assertThat(problemCode(get("/api/v1/admin/audit?limit=0", adminBearer()), 400)).isEqualTo("invalid_request");
    }

    @Test
    void aSignOutCutsOffEveryTokenIssuedBeforeIt() {
        TestDevice phone = registered("phone");
        clock.advance(Duration.ofSeconds(5));

        Response signedOut = post("/internal/v1/devices/" + phone.deviceId() + "/sign-out", null, serviceBearer());

        assertThat(signedOut.status()).isEqualTo(204);
        assertThat(get("/api/v1/devices", phone.bearer()).status()).isEqualTo(401);
        String later = tokenIssuedAt(phone, clock.instant());
        assertThat(get("/api/v1/devices", "Authorization", "Bearer " + later).status()).isEqualTo(200);
        assertThat(post("/internal/v1/devices/" + phone.deviceId() + "/sign-out", null, phone.bearer()).status())
                .as("internal: service tokens only").isEqualTo(403);
    }

    @Test
    void statusCountsTheUsersDevicesAndItsLastActivity() {
        TestDevice phone = registered("phone");
        pairedDevices(phone, 2);

        Response status = get("/api/v1/status", phone.bearer());

        assertThat(status.status()).as(status.raw().body()).isEqualTo(200);
        assertThat(status.text("user_id")).isEqualTo(phone.userId());
        assertThat(status.text("device_id")).isEqualTo(phone.deviceId());
        assertThat(status.json().get("devices_total").asInt()).isEqualTo(3);
        assertThat(status.json().get("devices_online").asInt()).isZero();
        assertThat(status.json().get("last_activity").asLong()).isEqualTo(clock.millis());
        assertThat(status.json().get("server_time").asLong()).isEqualTo(clock.millis());
    }

    @Test
    void everyChangeOfADeviceLeavesItsCredentialsOnTheCompactedTopicNumberedInCommitOrder() {
        TestDevice phone = registered("phone");
        TestDevice laptop = pairedDevices(phone, 1).getFirst();
        String laptopKey = get("/internal/v1/devices/" + laptop.deviceId(), serviceBearer()).text("public_key");
        revoke(laptop.deviceId(), "lost");
        assertThat(post("/api/v1/admin/devices/" + laptop.deviceId() + "/unrevoke", null, adminBearer()).status())
                .isEqualTo(200);
        assertThat(delete("/api/v1/devices/" + laptop.deviceId(), phone.bearer()).status()).isEqualTo(204);
        assertThat(delete("/api/v1/user", phone.bearer()).status()).isEqualTo(202);

        List<ConsumerRecord<String, String>> laptopRecords = credentialRecords(laptop.deviceId(), 4);
        assertThat(laptopRecords).extracting(LifecycleIntegrationTest::state)
                .containsExactly("active", "revoked", "active", "gone");
        assertThat(DeviceCredentialsRecord.read(laptop.deviceId(), laptopRecords.getFirst().value()))
                .isEqualTo(new DeviceCredentialsRecord(Topics.SCHEMA_VERSION, laptop.deviceId(), phone.userId(),
                        laptopKey, "desktop", true));
        assertThat(credentialRecords(phone.deviceId(), 2)).extracting(LifecycleIntegrationTest::state)
                .containsExactly("active", "gone");
        List<Long> laptopChanges = laptopRecords.stream().map(LifecycleIntegrationTest::changeId).toList();
        assertThat(laptopChanges).isSorted().doesNotHaveDuplicates();
        // The revocation on devices is numbered before the credentials it leaves: a gateway that reads
        // it first waits for those.
        long revocation = changeId(await().atMost(Duration.ofSeconds(10)).until(
                () -> tap().records(Topics.DEVICES, phone.userId()), records -> !records.isEmpty()).getFirst());
        assertThat(revocation).isGreaterThan(laptopChanges.get(0)).isLessThan(laptopChanges.get(1));
    }

    @Test
    void theMigrationPublishesTheCredentialsOfEveryDeviceRegisteredBeforeIt() throws SQLException {
        TestDevice phone = registered("phone");
        ConsumerRecord<String, String> registration = credentialRecords(phone.deviceId(), 1).getFirst();

        // What the migration does to a database whose devices were registered before the topic existed.
        try (Connection connection = dataSource.getConnection()) {
            ScriptUtils.executeSqlScript(connection, new ClassPathResource("db/migration/V3__device_credentials.sql"));
        }

        ConsumerRecord<String, String> backfilled = credentialRecords(phone.deviceId(), 2).get(1);
        assertThat(DeviceCredentialsRecord.read(phone.deviceId(), backfilled.value()))
                .isEqualTo(DeviceCredentialsRecord.read(phone.deviceId(), registration.value()));
        assertThat(changeId(backfilled)).isGreaterThan(changeId(registration));
    }

    /** The records of {@code devices.credentials} for the device, once at least {@code count} arrived. */
    private static List<ConsumerRecord<String, String>> credentialRecords(String deviceId, int count) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> tap().records(Topics.DEVICE_CREDENTIALS, deviceId),
                records -> records.size() >= count);
    }

    private static String state(ConsumerRecord<String, String> record) {
        DeviceCredentialsRecord credentials = DeviceCredentialsRecord.read(record.key(), record.value());
        return credentials == null ? "gone" : credentials.active() ? "active" : "revoked";
    }

    private static long changeId(ConsumerRecord<String, String> record) {
        return AccountChangeRecords.changeId(record).orElseThrow();
    }

    private void revoke(String deviceId, String reason) {
        Response response = post("/api/v1/admin/devices/" + deviceId + "/revoke", new Reason(reason), adminBearer());
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
    }

    record Reason(String reason) {
    }

    private static String[] adminBearer() {
        return new String[] {"Authorization", "Bearer " + AUTH.adminToken()};
    }

    private static String tokenIssuedAt(TestDevice device, Instant issuedAt) {
        return AUTH.sign(new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER).subject(device.deviceId())
                .issueTime(Date.from(issuedAt)).expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString()).claim("user_id", device.userId())
                .claim("device_id", device.deviceId()).claim("roles", List.of("device")).build());
    }

    /** The account changes announced for {@code userId} on {@code topic}, once at least one arrived. */
    private static List<AccountChange> changes(String topic, String userId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> tap().records(topic, userId).stream()
                .map(ConsumerRecord::value).map(v -> Json.read(v, AccountChange.class)).toList(), l -> !l.isEmpty());
    }

    /** Rows of this service's tables that name any of {@code ids}, by table. */
    private Map<String, Long> rowsNaming(String... ids) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(RowsNaming.tables(connection)).contains("users", "devices", "pairing_codes", "pairing_tokens",
                    "audit_log", "account_changes_outbox");
            return RowsNaming.in(connection, ids);
        }
    }
}
