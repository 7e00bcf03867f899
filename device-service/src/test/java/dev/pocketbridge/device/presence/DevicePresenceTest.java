package dev.pocketbridge.device.presence;

import static org.assertj.core.api.Assertions.assertThat;

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
        apply(new Presence.NodeStarted(0, 5, 1));
        Presence open = new Presence.SessionOpened(0, 5, "u", "d", "s1", 1);
        apply(open);

        assertThat(presence.online("d")).isTrue();
        assertThat(presence.lastSeen("d")).isEqualTo(clock.millis());

        presence.apply(open.key(), null);
        assertThat(presence.online("d")).isFalse();
        assertThat(presence.lastSeen("d")).isNull();
    }

    @Test
    void aNodeNotHeardFromWithinTheTimeoutTakesItsSessionsOfflineByThisServicesClockAlone() {
        apply(new Presence.SessionOpened(1, 7, "u", "d", "s1", 0));
        long lastWord = clock.millis();

        clock.advance(Duration.ofSeconds(60));
        assertThat(presence.online("d")).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(presence.online("d")).isFalse();
        assertThat(presence.lastSeen("d")).isEqualTo(lastWord);

        apply(new Presence.NodeStarted(1, 7, 0));
        assertThat(presence.online("d")).as("the node's heartbeat (same epoch) brings it back").isTrue();
    }

    @Test
    void aNodesNewEpochEndsTheSessionsOfItsPreviousLifeAndOldRecordsAreIgnored() {
        apply(new Presence.SessionOpened(2, 1, "u", "d", "old", 0));
        apply(new Presence.NodeStarted(2, 2, 0));

        assertThat(presence.online("d")).isFalse();
        apply(new Presence.SessionOpened(2, 1, "u", "d", "late", 0));
        assertThat(presence.online("d")).isFalse();
        apply(new Presence.SessionOpened(2, 2, "u", "d", "new", 0));
        assertThat(presence.online("d")).isTrue();
    }

    @Test
    void aClosedSessionIsOfflineAtOnceBeforeItsTombstone() {
        apply(new Presence.NodeStarted(3, 5, 1));
        Presence.SessionOpened open = new Presence.SessionOpened(3, 5, "u", "d", "s1", 1);
        apply(open);
        apply(new Presence.SessionOpened(3, 5, "u", "other", "s2", 1));

        apply(open.closed(2));

        assertThat(presence.online("d")).isFalse();
        assertThat(presence.online("other")).isTrue();
    }
}
