package dev.pocketbridge.auth.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.auth.AuthIntegrationTest;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.KafkaTap;
import dev.pocketbridge.testsupport.SharedKafka;

/**
 * device-service's account changes as auth-service consumes them from the real {@code devices} and
 * {@code users} topics. The device-service stub keeps the devices active throughout, so what these
 * tests see is the records' doing alone (the immediate checks at device-service are tested in
 * {@code RefreshIntegrationTest} and {@code TokenIntegrationTest}).
 */
class AccountChangesIntegrationTest extends AuthIntegrationTest {

    /** The first poll waits for the group's first assignment. */
    private static final Duration CONSUMED = Duration.ofSeconds(30);

    private Response refresh(String token) {
        return post("/api/v1/auth/refresh", Map.of("refresh_token", token));
    }

    private long activeFamilies(TestDevice device) {
        return jdbc.sql("SELECT count(*) FROM refresh_token_families WHERE device_id = ?::uuid AND revoked_at IS NULL")
                .param(device.deviceId()).query(Long.class).single();
    }

    private long challenges(TestDevice device) {
        return jdbc.sql("SELECT count(*) FROM challenges WHERE device_id = ?::uuid").param(device.deviceId())
                .query(Long.class).single();
    }

    private List<String> familyIds(TestDevice device) {
        return jdbc.sql("SELECT id::text FROM refresh_token_families WHERE device_id = ?::uuid")
                .param(device.deviceId()).query(String.class).list();
    }

    @Test
    void aRevokedDevicesRefreshTokensAndChallengesEndWhenTheRevocationIsConsumed() {
        TestDevice device = registeredDevice();
        String first = login(device).text("refresh_token");
        String second = login(device).text("refresh_token");
        tokenChallenge(device.deviceId());
        TestDevice sibling = registeredDevice(device.userId());
        String siblings = login(sibling).text("refresh_token");

        publish(new AccountChange.DeviceRevoked(device.userId(), device.deviceId(), "lost", clock.millis()));

        await().atMost(CONSUMED).untilAsserted(() -> {
            assertThat(activeFamilies(device)).isZero();
            assertThat(challenges(device)).isZero();
        });
        assertThat(problemCode(refresh(first), 401)).isEqualTo("refresh_token_invalid");
        assertThat(problemCode(refresh(second), 401)).isEqualTo("refresh_token_invalid");
        assertThat(refresh(siblings).status()).isEqualTo(200);
    }

    @Test
    void aRemovedDevicesRowsAreDeletedWhenTheRemovalIsConsumed() {
        TestDevice device = registeredDevice();
        String token = login(device).text("refresh_token");
        tokenChallenge(device.deviceId());
        List<String> families = familyIds(device);
        TestDevice sibling = registeredDevice(device.userId());
        String siblings = login(sibling).text("refresh_token");

        publish(new AccountChange.DeviceRemoved(device.userId(), device.deviceId(), clock.millis()));

        await().atMost(CONSUMED).untilAsserted(() -> assertThat(rowsNaming(ids(device.deviceId(), families)))
                .isZero());
        assertThat(problemCode(refresh(token), 401)).isEqualTo("refresh_token_invalid");
        assertThat(refresh(siblings).status()).isEqualTo(200);
    }

    @Test
    void noRowNamesADeletedUserOrItsDevicesOnceTheDeletionIsConsumedEvenTwice() {
        TestDevice phone = registeredDevice();
        TestDevice laptop = registeredDevice(phone.userId());
        String phoneToken = login(phone).text("refresh_token");
        String laptopFirst = login(laptop).text("refresh_token");
        refresh(laptopFirst);
        tokenChallenge(phone.deviceId());
        tokenChallenge(laptop.deviceId());
        // A reuse whose sign-out device-service never confirmed: a pending sign-out names the laptop.
        DEVICES.signOutsFailing(true);
        assertThat(problemCode(refresh(laptopFirst), 401)).isEqualTo("refresh_token_reused");
        List<String> families = new ArrayList<>(familyIds(phone));
        families.addAll(familyIds(laptop));
        String[] named = ids(phone.userId(), families, phone.deviceId(), laptop.deviceId());
        assertThat(jdbc.sql("SELECT count(*) FROM pending_sign_outs WHERE device_id = ?::uuid")
                .param(laptop.deviceId()).query(Long.class).single()).isOne();
        assertThat(rowsNaming(named)).isPositive();
        TestDevice stranger = registeredDevice();
        String strangers = login(stranger).text("refresh_token");

        AccountChange.UserDeleted deleted = new AccountChange.UserDeleted(phone.userId(),
                List.of(phone.deviceId(), laptop.deviceId()), clock.millis());
        publish(deleted);
        publish(deleted);

        await().atMost(CONSUMED).untilAsserted(() -> assertThat(rowsNaming(named)).isZero());
        assertThat(problemCode(refresh(phoneToken), 401)).isEqualTo("refresh_token_invalid");
        assertThat(refresh(strangers).status()).isEqualTo(200);
    }

    @Test
    void aRestoredDeviceKeepsWhatItHasAndAnUnreadableChangeIsDeadLetteredWithoutStoppingTheRest() {
        KafkaTap deadLetters = new KafkaTap(SharedKafka.bootstrapServers(),
                List.of(Topics.DEVICES + Topics.DEAD_LETTER_SUFFIX));
        TestDevice device = registeredDevice();
        String token = login(device).text("refresh_token");
        TestDevice removed = registeredDevice(device.userId());
        login(removed);

        // One key, so one partition: the records are consumed in this order.
        publish(new AccountChange.DeviceUnrevoked(device.userId(), device.deviceId(), clock.millis()));
        publishRaw(Topics.DEVICES, device.userId(), "{\"kind\":\"device_exploded\",\"user_id\":\"" + device.userId()
                + "\"}");
        publish(new AccountChange.DeviceRemoved(device.userId(), removed.deviceId(), clock.millis()));

        await().atMost(CONSUMED).untilAsserted(() -> assertThat(familyIds(removed)).isEmpty());
        assertThat(activeFamilies(device)).isOne();
        assertThat(refresh(token).status()).isEqualTo(200);
        await().atMost(CONSUMED).untilAsserted(() -> assertThat(deadLetters.records(
                Topics.DEVICES + Topics.DEAD_LETTER_SUFFIX, device.userId())).singleElement()
                .satisfies(r -> assertThat(r.value()).contains("device_exploded")));
    }

    private static String[] ids(String first, List<String> more, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(more);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
