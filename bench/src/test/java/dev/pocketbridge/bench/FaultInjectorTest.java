package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;

/** The injected faults reach the checks they are meant to trip (and only the victim's stream is touched). */
class FaultInjectorTest {

    private static final long RUN = 7L;
    private final UUID user = UUID.randomUUID();
    private final Ledger ledger = new Ledger(RUN, 1, 3);
    private final DeviceTrack sender = new DeviceTrack(0, 0, user, new Violations());
    private final DeviceTrack victim = new DeviceTrack(0, 1, user, new Violations());
    private final DeviceTrack bystander = new DeviceTrack(0, 2, user, new Violations());
    private final List<ServerFrame.DeliveredEvent> events = new ArrayList<>();

    FaultInjectorTest() {
        for (DeviceTrack t : List.of(sender, victim, bystander)) {
            t.window(ledger, 2);
        }
        for (int i = 0; i < 20; i++) {
            String payload = Base64Url.encode(Payloads.make(64, user, RUN, i));
            ClientFrame.SendEvent frame = new ClientFrame.SendEvent(UUID.randomUUID().toString(), (long) i + 1, "bench",
                    "bench.event", payload, null, null);
            Sent s = ledger.register(i, 0, 0, 0, 0, frame);
            sender.onFrame(new ServerFrame.EventAck(s.eventId, s.deviceSeq, i + 1, i + 1, "stored", false), 1);
            events.add(new ServerFrame.DeliveredEvent(i + 1, s.eventId, "d", s.deviceSeq, "bench", i + 1, "bench.event",
                    payload, null, 0L, false));
        }
    }

    private void run(FaultInjector injector) {
        for (ServerFrame.DeliveredEvent e : events) {
            injector.receive(victim, e, 2);
            injector.receive(bystander, e, 2);
        }
    }

    private Results.Checked check() {
        return Checker.check(ledger, new boolean[][] {{true, true, true}}, List.of(new Results.Phase(1, 1)),
                new long[] {0}, 0);
    }

    @Test
    void noFaultNoViolation() {
        run(FaultInjector.NONE);
        assertThat(check().missing()).isZero();
        assertThat(ledger.violations.isEmpty()).isTrue();
    }

    @Test
    void dropIsRecoveredByTheReplayButLoseIsNot() {
        FaultInjector drop = new FaultInjector(FaultInjector.Fault.DROP, RUN);
        run(drop);
        assertThat(drop.injected.get()).isEqualTo(2);
        assertThat(Checker.gaps(ledger, new boolean[][] {{true, true, true}}))
                .containsExactly(new Checker.Gap(0, 1, List.of(3L, 13L)));
        assertThat(drop.hideFromReplay(victim, events.get(2))).isFalse();

        FaultInjector lose = new FaultInjector(FaultInjector.Fault.LOSE, RUN);
        assertThat(lose.hideFromReplay(victim, events.get(2))).isFalse();
        lose.receive(victim, events.get(0), 0);
        lose.receive(victim, events.get(1), 0);
        lose.receive(victim, events.get(2), 0);
        assertThat(lose.hideFromReplay(victim, events.get(2))).isTrue();
        assertThat(lose.hideFromReplay(bystander, events.get(2))).isFalse();
    }

    @Test
    void reorderTripsTheOrderCheck() {
        run(new FaultInjector(FaultInjector.Fault.REORDER, RUN));
        check();
        assertThat(ledger.violations.count(Violations.ORDER)).isEqualTo(1);
    }

    @Test
    void crossUserTripsTheIsolationCheck() {
        run(new FaultInjector(FaultInjector.Fault.CROSS_USER, RUN));
        check();
        assertThat(ledger.violations.count(Violations.CROSS_USER)).isEqualTo(1);
        assertThat(ledger.violations.count(Violations.MISSING_DELIVERY)).isEqualTo(1);
    }
}
