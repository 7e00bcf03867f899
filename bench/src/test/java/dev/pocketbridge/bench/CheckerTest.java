package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;

/** The correctness checks, fed synthetic frames (no server). */
class CheckerTest {

    private static final long RUN = 4242L;
    private static final long MS = 1_000_000L;
    private static final int USERS = 2;
    private static final int DEVICES = 3;

    private Ledger ledger;
    private final UUID[] userIds = {UUID.randomUUID(), UUID.randomUUID()};
    private final DeviceTrack[][] tracks = new DeviceTrack[USERS][DEVICES];
    private final Violations between = new Violations();
    private final Map<String, String> payloads = new HashMap<>();
    private final boolean[][] allOnline = {{true, true, true}, {true, true, true}};
    private long deviceSeq;
    private long eventNo;

    @BeforeEach
    void setUp() {
        ledger = new Ledger(RUN, USERS, DEVICES);
        for (int u = 0; u < USERS; u++) {
            for (int d = 0; d < DEVICES; d++) {
                tracks[u][d] = new DeviceTrack(u, d, userIds[u], between);
                tracks[u][d].window(ledger, DEVICES - 1);
            }
        }
    }

    private Sent send(int user, int device, long intendedNanos) {
        return send(user, device, intendedNanos, 0);
    }

    private Sent send(int user, int device, long intendedNanos, int phase) {
        long n = eventNo++;
        String payload = Base64Url.encode(Payloads.make(64, userIds[user], RUN, n));
        ClientFrame.SendEvent frame = new ClientFrame.SendEvent(UUID.randomUUID().toString(), ++deviceSeq, "bench",
                "bench.event", payload, null, null);
        payloads.put(frame.eventId(), payload);
        Sent s = ledger.register(n, user, device, phase, intendedNanos, frame);
        s.sentNanos = intendedNanos;
        return s;
    }

    private void ack(Sent s, long seq, long atNanos) {
        tracks[s.user][s.device].onFrame(new ServerFrame.EventAck(s.eventId, s.deviceSeq, seq, seq, "stored", false),
                atNanos);
    }

    private void reject(Sent s, String code, long atNanos) {
        tracks[s.user][s.device].onFrame(new ServerFrame.EventRejected(s.eventId, s.deviceSeq, code, "no", 100L),
                atNanos);
    }

    private ServerFrame.DeliveredEvent delivered(Sent s, long seq) {
        return new ServerFrame.DeliveredEvent(seq, s.eventId, UUID.randomUUID().toString(), s.deviceSeq, "bench", seq,
                "bench.event", payloads.get(s.eventId), null, 0L, false);
    }

    private void deliver(Sent s, int toUser, int toDevice, long seq, long atNanos) {
        tracks[toUser][toDevice].onFrame(delivered(s, seq), atNanos);
    }

    /** Sends one event per user from device 0 and delivers it everywhere it belongs, in order. */
    private void cleanTraffic(int eventsPerUser) {
        for (int i = 1; i <= eventsPerUser; i++) {
            for (int u = 0; u < USERS; u++) {
                Sent s = send(u, 0, i * 10 * MS);
                ack(s, i, i * 10 * MS + 5 * MS);
                deliver(s, u, 1, i, i * 10 * MS + 7 * MS);
                deliver(s, u, 2, i, i * 10 * MS + 8 * MS);
            }
        }
    }

    private Results.Checked check() {
        return Checker.check(ledger, allOnline, List.of(new Results.Phase(10, 1)), new long[] {0}, 0);
    }

    @Test
    void cleanTrafficPassesWithLatenciesFromTheScheduledTime() {
        cleanTraffic(50);
        Results.Checked c = check();
        assertThat(ledger.violations.isEmpty()).isTrue();
        assertThat(c.sent()).isEqualTo(100);
        assertThat(c.acked()).isEqualTo(100);
        assertThat(c.unanswered()).isZero();
        assertThat(c.deliveriesExpected()).isEqualTo(200);
        assertThat(c.deliveredLive()).isEqualTo(200);
        assertThat(c.missing()).isZero();
        assertThat(c.ack().p50Ms()).isCloseTo(5.0, within(0.01));
        assertThat(c.delivery().maxMs()).isCloseTo(8.0, within(0.01));
        assertThat(c.ack().count()).isEqualTo(100);
        assertThat(Checker.gaps(ledger, allOnline)).isEmpty();
    }

    @Test
    void aReorderOnASessionIsFlagged() {
        Sent a = send(0, 0, 0);
        Sent b = send(0, 0, MS);
        ack(a, 1, 2 * MS);
        ack(b, 2, 3 * MS);
        deliver(b, 0, 1, 2, 4 * MS);
        deliver(a, 0, 1, 1, 5 * MS); // seq 1 after seq 2
        deliver(a, 0, 2, 1, 4 * MS);
        deliver(b, 0, 2, 2, 5 * MS);
        check();
        assertThat(ledger.violations.count(Violations.ORDER)).isEqualTo(1);
        assertThat(ledger.violations.list().getFirst().examples().getFirst())
                .contains("user 0 device 1: seq 1").contains("after seq 2");
    }

    @Test
    void aRepeatedSeqIsFlaggedAsWell() {
        Sent a = send(0, 0, 0);
        ack(a, 1, MS);
        deliver(a, 0, 1, 1, 2 * MS);
        deliver(a, 0, 1, 1, 3 * MS);
        deliver(a, 0, 2, 1, 2 * MS);
        check();
        assertThat(ledger.violations.count(Violations.ORDER)).isEqualTo(1);
    }

    @Test
    void anEventOfAnotherUserIsFlagged() {
        cleanTraffic(3);
        Sent foreign = send(1, 0, 100 * MS);
        ack(foreign, 4, 101 * MS);
        deliver(foreign, 1, 1, 4, 102 * MS);
        deliver(foreign, 1, 2, 4, 102 * MS);
        deliver(foreign, 0, 2, 4, 103 * MS); // user 1's event on user 0's device
        check();
        assertThat(ledger.violations.count(Violations.CROSS_USER)).isEqualTo(1);
        assertThat(ledger.violations.list().getFirst().examples().getFirst()).contains("user 0").contains(userIds[1].toString());
    }

    @Test
    void anEventOfAnotherUserIsFlaggedBetweenWindowsToo() {
        Sent foreign = send(1, 0, 0);
        tracks[0][1].window(null, 2);
        deliver(foreign, 0, 1, 9, MS);
        assertThat(between.count(Violations.CROSS_USER)).isEqualTo(1);
    }

    @Test
    void aMissingDeliveryIsFlaggedUnlessTheReplaySuppliesIt() {
        cleanTraffic(2);
        Sent lost = send(0, 1, 50 * MS);
        ack(lost, 3, 55 * MS);
        deliver(lost, 0, 0, 3, 57 * MS); // device 2 never gets seq 3 live
        ledger.closeLive();
        List<Checker.Gap> gaps = Checker.gaps(ledger, allOnline);
        assertThat(gaps).containsExactly(new Checker.Gap(0, 2, List.of(3L)));

        Results.Checked c = check();
        assertThat(c.missing()).isEqualTo(1);
        assertThat(ledger.violations.count(Violations.MISSING_DELIVERY)).isEqualTo(1);
    }

    @Test
    void aReplayFillsTheGap() {
        cleanTraffic(2);
        Sent lost = send(0, 1, 50 * MS);
        ack(lost, 3, 55 * MS);
        deliver(lost, 0, 0, 3, 57 * MS);
        ledger.closeLive();
        tracks[0][2].onReplayed(delivered(lost, 3));
        Results.Checked c = check();
        assertThat(c.missing()).isZero();
        assertThat(c.deliveredLate()).isEqualTo(1);
        assertThat(ledger.violations.isEmpty()).isTrue();
    }

    @Test
    void aDeviceOfflineDuringTheWindowIsNotExpectedToReceive() {
        Sent s = send(0, 0, 0);
        ack(s, 1, MS);
        deliver(s, 0, 1, 1, 2 * MS);
        boolean[][] online = {{true, true, false}, {true, true, true}};
        Results.Checked c = Checker.check(ledger, online, List.of(new Results.Phase(1, 1)), new long[] {0}, 0);
        assertThat(c.missing()).isZero();
        assertThat(c.deliveriesExpected()).isEqualTo(1);
        assertThat(ledger.violations.isEmpty()).isTrue();
    }

    @Test
    void aRejectedEventThatWasStoredIsFlagged() {
        Sent s = send(0, 0, 0);
        reject(s, "backpressure", MS);
        deliver(s, 0, 1, 1, 2 * MS);
        deliver(s, 0, 2, 1, 2 * MS);
        Results.Checked c = check();
        assertThat(c.rejectedByCode()).containsEntry("backpressure", 1L);
        assertThat(ledger.violations.count(Violations.REJECTED_STORED)).isEqualTo(1);
    }

    @Test
    void anUnavailableEventStoredLaterIsFine() {
        Sent s = send(0, 0, 0);
        reject(s, "unavailable", MS);
        deliver(s, 0, 1, 1, 2 * MS);
        deliver(s, 0, 2, 1, 2 * MS);
        check();
        assertThat(ledger.violations.isEmpty()).isTrue();
        assertThat(s.frame).as("kept for the resend").isNotNull();
    }

    @Test
    void oneEventUnderTwoSeqsOrOneSeqForTwoEventsIsFlagged() {
        Sent a = send(0, 0, 0);
        ack(a, 1, MS);
        deliver(a, 0, 1, 2, 2 * MS); // the ack said 1
        Sent b = send(0, 0, MS);
        Sent c = send(0, 0, 2 * MS);
        ack(b, 7, 3 * MS);
        ack(c, 7, 4 * MS);
        check();
        assertThat(ledger.violations.count(Violations.SEQ_CONFLICT)).isEqualTo(2);
    }

    @Test
    void aPayloadThatIsNotTheEventsOwnIsFlagged() {
        Sent a = send(0, 0, 0);
        Sent b = send(0, 0, MS);
        ack(a, 1, MS);
        tracks[0][1].onFrame(new ServerFrame.DeliveredEvent(1, a.eventId, "d", a.deviceSeq, "bench", 1, "bench.event",
                payloads.get(b.eventId), null, 0L, false), 2 * MS);
        assertThat(ledger.violations.count(Violations.PAYLOAD)).isEqualTo(1);
    }

    @Test
    void unansweredAndSendFailuresAreCounted() {
        send(0, 0, 0);
        Sent failed = send(0, 1, MS);
        ledger.sendFailed(failed);
        Results.Checked c = check();
        assertThat(c.unanswered()).isEqualTo(1);
        assertThat(c.sendFailed()).isEqualTo(1);
        assertThat(ledger.pendingAnswers()).isEqualTo(1);
    }

    @Test
    void eventsOfEarlierRunsAreIgnored() {
        ClientFrame.SendEvent old = new ClientFrame.SendEvent(UUID.randomUUID().toString(), 1L, "bench", "bench.event",
                Base64Url.encode(Payloads.make(64, userIds[0], RUN + 1, 0)), null, null);
        tracks[0][1].onFrame(new ServerFrame.DeliveredEvent(1, old.eventId(), "d", 1, "bench", 1, "bench.event",
                old.encryptedPayload(), null, 0L, false), MS);
        assertThat(ledger.earlierRuns.sum()).isEqualTo(1);
        assertThat(ledger.violations.isEmpty()).isTrue();
    }

    @Test
    void perSecondWindowsAndRecovery() {
        // seconds 0-1 overloaded (shed, slow), 2 slow, 3-4 fine
        for (int second = 0; second < 5; second++) {
            for (int i = 0; i < 10; i++) {
                long t = second * 1000 * MS + i * 100 * MS;
                Sent s = send(0, 0, t, second < 2 ? 0 : 1);
                if (second < 2 && i % 2 == 0) {
                    reject(s, "backpressure", t + MS);
                } else {
                    ack(s, 1000L * second + i + 1, t + (second <= 2 ? 300 * MS : 10 * MS));
                }
            }
        }
        boolean[][] nobody = {{true, false, false}, {false, false, false}};
        Results.Checked c = Checker.check(ledger, nobody, List.of(new Results.Phase(10, 2), new Results.Phase(10, 3)),
                new long[] {0, 2000 * MS}, 0);
        assertThat(c.perSecond()).hasSize(5);
        assertThat(c.perSecond().get(0).rejected()).isEqualTo(5);
        assertThat(c.perSecond().get(3).ackP99Ms()).isCloseTo(10.0, within(0.01));
        assertThat(c.phases().get(0).shedShare()).isEqualTo(0.5);
        assertThat(c.phases().get(1).shedShare()).isEqualTo(0.0);
        assertThat(c.phases().get(1).ack().count()).isEqualTo(30);
        assertThat(Checker.recoverySeconds(c.perSecond(), 2, 5, 100)).isEqualTo(1.0);
        assertThat(Checker.recoverySeconds(c.perSecond(), 0, 3, 100)).isNull();
    }
}
