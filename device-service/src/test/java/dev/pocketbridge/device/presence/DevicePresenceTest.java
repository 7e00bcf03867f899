package dev.pocketbridge.device.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.testsupport.TestClock;

class DevicePresenceTest {

    private final TestClock clock = new TestClock();
    private final DevicePresence presence = new DevicePresence(clock, Duration.ofSeconds(60));

    private void apply(Presence p) {
        presence.apply(p.key(), p);
    }

    @Test
    void aDeviceIsOnlineWhileItHasASessionAndOfflineOnceItCloses() {
        apply(Presence.node(0, 5, 1));
        Presence open = Presence.session(0, 5, "u", "d", "s1", true, 1);
        apply(open);

        assertThat(presence.online("d")).isTrue();
        assertThat(presence.lastSeen("d")).isEqualTo(clock.millis());

        presence.apply(open.key(), null);
        assertThat(presence.online("d")).isFalse();
        assertThat(presence.lastSeen("d")).isNull();
    }

    @Test
    void aNodeNotHeardFromWithinTheTimeoutTakesItsSessionsOfflineByThisServicesClockAlone() {
        apply(Presence.session(1, 7, "u", "d", "s1", true, 0));
        long lastWord = clock.millis();

        clock.advance(Duration.ofSeconds(60));
        assertThat(presence.online("d")).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(presence.online("d")).isFalse();
        assertThat(presence.lastSeen("d")).isEqualTo(lastWord);

        apply(Presence.node(1, 7, 0));
        assertThat(presence.online("d")).as("the node's heartbeat (same epoch) brings it back").isTrue();
    }

    @Test
    void aNodesNewEpochEndsTheSessionsOfItsPreviousLifeAndOldRecordsAreIgnored() {
        apply(Presence.session(2, 1, "u", "d", "old", true, 0));
        apply(Presence.node(2, 2, 0));

        assertThat(presence.online("d")).isFalse();
        apply(Presence.session(2, 1, "u", "d", "late", true, 0));
        assertThat(presence.online("d")).isFalse();
        apply(Presence.session(2, 2, "u", "d", "new", true, 0));
        assertThat(presence.online("d")).isTrue();
    }

    @Test
    void unreadableRecordsAreRefused() {
        assertThatThrownBy(() -> presence.apply("x", new Presence(1, "bogus", 0, 0, null, null, null, true, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> presence.apply("x", Presence.session(0, 1, "u", null, "s", true, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
