package dev.pocketbridge.gateway.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.kafka.DeviceCredentialsRecord;
import dev.pocketbridge.common.kafka.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** What the credential view serves, whatever order the two topics' records arrive in. */
class CredentialViewTest {

    private static final String USER = UUID.randomUUID().toString();
    private static final String DEVICE = UUID.randomUUID().toString();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CredentialView view = new CredentialView(meters);

    @Test
    void nothingIsServedBeforeTheViewCaughtUp() {
        view.apply(DEVICE, record(DEVICE, true), 1);
        assertThat(view.find(DEVICE)).isNull();

        view.caughtUp();

        assertThat(view.find(DEVICE).device()).isEqualTo(record(DEVICE, true).credentials());
        assertThat(meters.get(CredentialView.DEVICES_METRIC).gauge().value()).isEqualTo(1);
        assertThat(meters.get(CredentialView.CAUGHT_UP_METRIC).gauge().value()).isEqualTo(1);
    }

    @Test
    void aRecordIsAppliedOnlyWhenNewerThanEverythingSeenForItsDevice() {
        view.caughtUp();
        view.apply(DEVICE, record(DEVICE, true), 5);
        view.apply(DEVICE, record(DEVICE, false), 6);

        // The outbox sent the registration again after a failure, behind the revocation.
        view.apply(DEVICE, record(DEVICE, true), 5);
        assertThat(view.find(DEVICE).device().active()).isFalse();

        view.apply(DEVICE, null, 7);
        view.apply(DEVICE, record(DEVICE, false), 6);
        assertThat(view.find(DEVICE)).as("a removed device stays removed").isNull();
    }

    @Test
    void aChangeHeardFirstHoldsOffTheCredentialsFromBeforeIt() {
        view.caughtUp();
        view.apply(DEVICE, record(DEVICE, true), 5);

        view.changed(DEVICE, OptionalLong.of(8));
        assertThat(view.find(DEVICE)).isNull();
        view.apply(DEVICE, record(DEVICE, true), 5);
        assertThat(view.find(DEVICE)).as("the registration, resent").isNull();

        view.apply(DEVICE, record(DEVICE, false), 9);
        assertThat(view.find(DEVICE).device().active()).isFalse();
    }

    @Test
    void aChangeHeardAfterTheCredentialsItLeftKeepsThem() {
        view.caughtUp();
        view.apply(DEVICE, record(DEVICE, false), 9);

        view.changed(DEVICE, OptionalLong.of(8));

        assertThat(view.find(DEVICE).device().active()).isFalse();
    }

    @Test
    void aChangeWithoutANumberDropsTheDeviceForGood() {
        view.caughtUp();
        view.apply(DEVICE, record(DEVICE, true), 5);

        view.changed(DEVICE, OptionalLong.empty());
        view.apply(DEVICE, record(DEVICE, true), 1_000_000);

        assertThat(view.find(DEVICE)).isNull();
    }

    @Test
    void aDeletedUsersDevicesAreAllDropped() {
        view.caughtUp();
        String laptop = UUID.randomUUID().toString();
        String otherUsers = UUID.randomUUID().toString();
        view.apply(DEVICE, record(DEVICE, true), 1);
        view.apply(laptop, record(laptop, true), 2);
        view.apply(otherUsers, new DeviceCredentialsRecord(Topics.SCHEMA_VERSION, otherUsers,
                UUID.randomUUID().toString(), "key", "web", true), 3);

        view.userDeleted(USER, List.of(DEVICE), OptionalLong.of(10));

        assertThat(view.find(DEVICE)).isNull();
        assertThat(view.find(laptop)).isNull();
        assertThat(view.find(otherUsers)).isNotNull();
    }

    private static DeviceCredentialsRecord record(String deviceId, boolean active) {
        return new DeviceCredentialsRecord(Topics.SCHEMA_VERSION, deviceId, USER, "key-of-" + deviceId, "mobile",
                active);
    }
}
