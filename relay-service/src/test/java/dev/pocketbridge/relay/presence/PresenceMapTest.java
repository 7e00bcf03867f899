package dev.pocketbridge.relay.presence;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;

class PresenceMapTest {

    private final PresenceMap map = new PresenceMap();

    private void open(int node, long epoch, String user, String device, String session) {
        Presence p = new Presence.SessionOpened(node, epoch, user, device, session, epoch);
        map.apply(p.key(), p);
    }

    private void close(int node, long epoch, String user, String device, String session) {
        Presence p = new Presence.SessionClosed(node, epoch, user, device, session, epoch);
        map.apply(p.key(), p);
    }

    private void node(int node, long epoch) {
        Presence p = new Presence.NodeStarted(node, epoch, epoch);
        map.apply(p.key(), p);
    }

    @Test
    void keepsTheNewestSessionOfEachDeviceAndEveryDeviceOfEachUser() {
        open(1, 100, "u1", "d1", "s1");
        Presence newer = new Presence.SessionOpened(2, 100, "u1", "d1", "s2", 100);
        assertThat(map.apply(newer.key(), newer)).extracting(SessionLocation::sessionId, SessionLocation::nodeId)
                .containsExactly(Tuple.tuple("s1", 1));
        open(1, 100, "u1", "d2", "s3");
        open(1, 100, "u2", "d3", "s4");

        assertThat(map.sessionsOf("u1")).extracting(SessionLocation::sessionId).containsExactlyInAnyOrder("s2", "s3");
        assertThat(map.sessionsOf("u2")).extracting(SessionLocation::deviceId).containsExactly("d3");
        assertThat(map.size()).isEqualTo(3);
    }

    @Test
    void theSessionOpenedLastWinsWhateverItsId() {
        // Records of one device share a partition, so arrival order is opening order; ids carry node clocks.
        open(2, 100, "u1", "d1", "s2");
        Presence later = new Presence.SessionOpened(1, 100, "u1", "d1", "s1", 100);

        assertThat(map.apply(later.key(), later)).extracting(SessionLocation::sessionId).containsExactly("s2");
        assertThat(map.sessionsOf("u1")).extracting(SessionLocation::sessionId).containsExactly("s1");
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void offlineRecordRemovesOnlyThatSession() {
        open(1, 100, "u1", "d1", "s1");
        open(2, 100, "u1", "d2", "s2");

        close(1, 100, "u1", "d1", "s1");

        assertThat(map.sessionsOf("u1")).extracting(SessionLocation::sessionId).containsExactly("s2");
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void tombstoneRemovesTheSessionNamedByTheKey() {
        open(1, 100, "u1", "d1", "s1");
        open(1, 100, "u1", "d2", "s2");

        map.apply("d1:s1", null);

        assertThat(map.sessionsOf("u1")).extracting(SessionLocation::sessionId).containsExactly("s2");
        map.apply("d2:s2", null);
        assertThat(map.sessionsOf("u1")).isEmpty();
        assertThat(map.size()).isZero();
    }

    @Test
    void tombstoneOfUnknownOrNodeKeyChangesNothing() {
        open(1, 100, "u1", "d1", "s1");

        map.apply("d9:s9", null);
        map.apply("node:1", null);

        assertThat(map.sessionsOf("u1")).hasSize(1);
        assertThat(map.epochOf(1)).isEqualTo(100);
    }

    @Test
    void newerNodeEpochDropsOlderSessionsOfThatNodeOnly() {
        node(1, 100);
        open(1, 100, "u1", "d1", "s1");
        open(2, 100, "u1", "d2", "s2");

        node(1, 200);

        assertThat(map.sessionsOf("u1")).extracting(SessionLocation::sessionId).containsExactly("s2");
        assertThat(map.epochOf(1)).isEqualTo(200);
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void olderNodeEpochIsIgnored() {
        node(1, 200);
        open(1, 200, "u1", "d1", "s1");

        node(1, 100);

        assertThat(map.epochOf(1)).isEqualTo(200);
        assertThat(map.sessionsOf("u1")).hasSize(1);
    }

    @Test
    void sessionOfAnOlderEpochThanItsNodeIsIgnored() {
        node(1, 200);

        open(1, 100, "u1", "d1", "s1");

        assertThat(map.sessionsOf("u1")).isEmpty();
        assertThat(map.size()).isZero();
    }

    @Test
    void sessionWithANewerEpochThanItsNodeRecordActsAsTheRestart() {
        // The node record may sit on another partition and be read after the new sessions.
        open(1, 100, "u1", "d1", "old");

        open(1, 200, "u1", "d2", "new");
        node(1, 200);

        assertThat(map.sessionsOf("u1")).extracting(SessionLocation::sessionId).containsExactly("new");
        assertThat(map.epochOf(1)).isEqualTo(200);
    }

    @Test
    void reopeningTheSameSessionDoesNotCountTwice() {
        open(1, 100, "u1", "d1", "s1");
        open(1, 100, "u1", "d1", "s1");

        assertThat(map.size()).isEqualTo(1);
        assertThat(map.sessionsOf("u1")).hasSize(1);
    }

    @Test
    void aSessionRecordUnderAnotherKeyDropsWhatThatKeyNamed() {
        // Compaction works on the key: whatever the key named before is gone.
        open(1, 100, "u1", "d1", "s1");
        Presence elsewhere = new Presence.SessionOpened(1, 100, "u1", "d2", "s2", 100);

        map.apply("d1:s1", elsewhere);

        assertThat(map.sessionsOf("u1")).extracting(SessionLocation::sessionId).containsExactly("s2");
        map.apply("d2:s2", new Presence.SessionClosed(1, 100, "u1", "d3", "s3", 100));
        assertThat(map.size()).isZero();
    }

    @Test
    void aRevokedDevicesSessionsAreDroppedAndItsUsersOtherDevicesStay() {
        open(1, 100, "u1", "d1", "s1");
        open(2, 100, "u1", "d2", "s2");
        open(1, 100, "u2", "d3", "s3");

        assertThat(map.dropDevice("u1", "d1")).extracting(SessionLocation::sessionId).containsExactly("s1");
        assertThat(map.dropDevice("u1", "unknown")).isEmpty();

        assertThat(map.sessionsOf("u1")).extracting(SessionLocation::sessionId).containsExactly("s2");
        assertThat(map.sessionsOf("u2")).extracting(SessionLocation::sessionId).containsExactly("s3");
        assertThat(map.size()).isEqualTo(2);
        // The gateway's close of the dropped session arrives later: nothing left to remove, nothing breaks.
        close(1, 100, "u1", "d1", "s1");
        assertThat(map.size()).isEqualTo(2);
    }

    @Test
    void aDeletedUsersSessionsAreAllDroppedAndOtherUsersStay() {
        open(1, 100, "u1", "d1", "s1");
        open(2, 100, "u1", "d2", "s2");
        open(1, 100, "u2", "d3", "s3");

        assertThat(map.dropUser("u1")).extracting(SessionLocation::sessionId).containsExactlyInAnyOrder("s1", "s2");

        assertThat(map.sessionsOf("u1")).isEmpty();
        assertThat(map.sessionsOf("u2")).hasSize(1);
        assertThat(map.size()).isEqualTo(1);
        map.apply(Topics.presenceSessionKey("d1", "s1"), null);
        assertThat(map.size()).isEqualTo(1);
    }
}
