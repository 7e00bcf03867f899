package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.MalformedAccountChangeException;
import dev.pocketbridge.common.kafka.Topics;
import tools.jackson.core.JacksonException;

class AccountChangeTest {

    private static final String USER = "0b8c2f4e-8a55-4c57-9d2b-5a1a4c3f7e10";
    private static final String DEVICE = "5f0e9c1a-0d7b-4c8e-a7d4-2b9f6e3c1a28";

    @Test
    void eachKindIsWrittenWithItsDiscriminatorAndReadBackAsItself() {
        List<AccountChange> changes = List.of(
                new AccountChange.DeviceRevoked(USER, DEVICE, "lost phone", 1_700_000_000_000L),
                new AccountChange.DeviceUnrevoked(USER, DEVICE, 1_700_000_000_001L),
                new AccountChange.DeviceRemoved(USER, DEVICE, 1_700_000_000_002L),
                new AccountChange.UserDeleted(USER, List.of(DEVICE), 1_700_000_000_003L));
        for (AccountChange change : changes) {
            String json = Json.write(change);
            assertThat(Json.read(json, AccountChange.class)).isEqualTo(change);
            assertThat(json).contains("\"schema_version\":1").contains("\"user_id\":\"" + USER + "\"");
        }
        assertThat(Json.write(changes.get(0))).startsWith("{\"kind\":\"device_revoked\"")
                .contains("\"device_id\":\"" + DEVICE + "\"");
        assertThat(Json.write(changes.get(3))).startsWith("{\"kind\":\"user_deleted\"")
                .contains("\"device_ids\":[\"" + DEVICE + "\"]");
    }

    @Test
    void readingRefusesRecordsWithoutAValueOrWithIdsThatAreNotCanonical() {
        assertThat(AccountChange.read(Json.write(new AccountChange.DeviceRemoved(USER, DEVICE, 1))))
                .isEqualTo(new AccountChange.DeviceRemoved(USER, DEVICE, 1));
        assertThatThrownBy(() -> AccountChange.read(null)).isInstanceOf(MalformedAccountChangeException.class);
        assertThatThrownBy(() -> AccountChange.read(Json.write(new AccountChange.DeviceRevoked(USER, null, "r", 1))))
                .isInstanceOf(MalformedAccountChangeException.class).hasMessageContaining("device_id");
        assertThatThrownBy(() -> AccountChange.read(Json.write(new AccountChange.UserDeleted(USER.toUpperCase(),
                List.of(), 1)))).isInstanceOf(MalformedAccountChangeException.class).hasMessageContaining("user_id");
        assertThatThrownBy(() -> AccountChange.read(Json.write(new AccountChange.UserDeleted(USER, List.of("x"), 1))))
                .isInstanceOf(MalformedAccountChangeException.class).hasMessageContaining("device_ids");
        assertThatThrownBy(() -> AccountChange.read("{\"kind\":\"nope\"}")).isInstanceOf(JacksonException.class);
    }

    @Test
    void deviceChangesGoToTheDevicesTopicAndDeletionsToTheUsersTopic() {
        assertThat(new AccountChange.DeviceRemoved(USER, DEVICE, 1).topic()).isEqualTo(Topics.DEVICES);
        assertThat(new AccountChange.UserDeleted(USER, List.of(), 1).topic()).isEqualTo(Topics.USERS);
    }

    @Test
    void aTokenCountsOnlyForAnActiveDeviceOfItsUserIssuedAtOrAfterTheDevicesSignOut() {
        Instant signOut = Instant.ofEpochSecond(1_700_000_000L);
        DeviceCredentials signedOut = new DeviceCredentials(DEVICE, USER, "key", true, signOut.toEpochMilli());

        assertThat(signedOut.admits(USER, signOut.minusSeconds(1))).isFalse();
        assertThat(signedOut.admits(USER, signOut)).isTrue();
        assertThat(signedOut.admits("another-user", signOut)).isFalse();
        assertThat(signedOut.admits(USER, null)).isFalse();
        assertThat(new DeviceCredentials(DEVICE, USER, "key", false).admits(USER, signOut)).isFalse();
        assertThat(new DeviceCredentials(DEVICE, USER, "key", true).admits(USER, null)).isTrue();
    }
}
