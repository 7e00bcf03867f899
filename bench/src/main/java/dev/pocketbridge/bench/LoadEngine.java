package dev.pocketbridge.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * One open-loop measurement window over {@link LoadSessions}: a scheduler thread hands each event
 * at its scheduled time to the sender that owns its user (so a device's {@code device_seq}s leave
 * in order), receivers timestamp every answer and delivery, and a ticker prints a line a second
 * and sends each device's cumulative {@code ack}. After the schedule the window drains (until
 * every event is answered and delivered, at most 35 s: the gateway answers every event within its
 * 30 s pending timeout), replays what a device did not get live, resends a sample of the events
 * answered {@code unavailable}, and hands the ledger to the {@link Checker}.
 */
final class LoadEngine {

    static final String STREAM = "bench";
    static final String EVENT_TYPE = "bench.event";
    /** Control events (settling) carry this event number; they belong to no window. */
    static final long CONTROL_EVENT = -1;
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(35);
    private static final Duration QUIET_LIMIT = Duration.ofSeconds(3);
    private static final Duration REPLAY_LIMIT = Duration.ofSeconds(120);
    private static final int REPLAY_PAGE = 1000;
    private static final int MAX_SENDERS = 4;
    /** How long after the schedule's end a sender that fell behind keeps sending. */
    private static final Duration SEND_GRACE = Duration.ofSeconds(30);

    private final LoadSessions sessions;
    private final long runId;
    private final AtomicLong eventNumbers;
    private final int payloadBytes;
    private final SystemCpu systemCpu;

    LoadEngine(LoadSessions sessions, long runId, AtomicLong eventNumbers, int payloadBytes, SystemCpu systemCpu) {
        this.sessions = sessions;
        this.systemCpu = systemCpu;
        this.runId = runId;
        this.eventNumbers = eventNumbers;
        this.payloadBytes = payloadBytes;
    }

    Results.Window run(String label, List<Results.Phase> phases) {
        sessions.connectMissing(label);
        sessions.drainAll();
        Ledger ledger = new Ledger(runId, sessions.users, sessions.devices);
        sessions.between.drainTo(ledger.violations);
        for (DeviceTrack[] row : sessions.tracks) {
            for (DeviceTrack t : row) {
                t.errors.clear();
            }
        }
        sessions.window(ledger);
        boolean[][] openAtStart = sessions.openNow();
        long cpuBefore = processCpuNanos();
        SystemCpu.Snapshot systemBefore = systemCpu.snapshot();

        double totalSeconds = phases.stream().mapToDouble(Results.Phase::seconds).sum();
        long totalEvents = phases.stream().mapToLong(p -> Math.round(p.rate() * p.seconds())).sum();
        LoadSessions.Receivers receivers = sessions.startReceivers();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long[] phaseStart = new long[phases.size()];
        long offset = start;
        for (int p = 0; p < phases.size(); p++) {
            phaseStart[p] = offset;
            offset += (long) (phases.get(p).seconds() * 1e9);
        }
        long scheduleEnd = offset;
        int senderCount = Math.min(MAX_SENDERS, sessions.users);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < senderCount; i++) {
            int sender = i;
            senders.add(Thread.ofPlatform().daemon().name("sender-" + i).start(
                    () -> sendLoop(sender, senderCount, phases, phaseStart, scheduleEnd + SEND_GRACE.toNanos(), ledger)));
        }
        Ticker ticker = new Ticker(label, ledger, start);
        Thread tickerThread = Thread.ofPlatform().daemon().name("ticker").start(ticker);
        try {
            for (Thread t : senders) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(scheduleEnd + SEND_GRACE.toNanos() - System.nanoTime()))
                        + 5000);
            }
            ticker.phase = "draining";
            drain(ledger);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            ticker.stop = true;
            tickerThread.interrupt();
            receivers.stop();
        }
        sessions.drainAll();
        ledger.closeLive();
        double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        Results.Cpu cpu = systemCpu.between(systemBefore, systemCpu.snapshot());

        boolean[][] open = sessions.openNow();
        boolean[][] whole = new boolean[sessions.users][sessions.devices];
        for (int u = 0; u < sessions.users; u++) {
            for (int d = 0; d < sessions.devices; d++) {
                whole[u][d] = openAtStart[u][d] && open[u][d];
            }
        }
        List<String> closed = sessions.closedSessions();
        long replayed = replayGaps(label, ledger, whole);
        Results.Resend resend = Resends.unavailable(sessions, label, ledger);
        sessions.drainAll();
        sessions.window(null);

        Results.Checked c = Checker.check(ledger, whole, phases, phaseStart, start);
        Map<String, Long> errors = new TreeMap<>();
        for (DeviceTrack[] row : sessions.tracks) {
            for (DeviceTrack t : row) {
                t.errors.forEach((k, v) -> errors.merge(k, v.sum(), Long::sum));
            }
        }
        List<Violations.Violation> violations = ledger.violations.list();
        Results.Window window = new Results.Window(label, round1(totalEvents / totalSeconds), totalSeconds,
                sessions.users, sessions.devices, payloadBytes, c.sent(), round1(c.sent() / totalSeconds),
                c.sendFailed(), c.acked(), round1(c.acked() / totalSeconds), c.ackedDuplicate(), c.rejectedByCode(),
                c.unanswered(), c.ack(), c.delivery(), c.clientSendLag(), c.deliveriesExpected(), c.deliveredLive(),
                replayed, c.missing(), ledger.duplicateDeliveries.sum(), ledger.outsideWindow.sum(),
                ledger.earlierRuns.sum(), ledger.ownEcho.sum(), round1(cpuSeconds), cpu, resend, closed, errors,
                c.phases(), c.perSecond(), violations, violations.isEmpty());
        Console.progress(label, String.format(Locale.ROOT,
                "done: sent %d, acked %d, rejected %d %s, unanswered %d; ack p99 %s, delivery p99 %s; "
                        + "replayed %d, missing %d; checks %s",
                c.sent(), c.acked(), c.rejected(), c.rejectedByCode(), c.unanswered(), ms(c.ack().p99Ms()),
                ms(c.delivery().p99Ms()), replayed, c.missing(), violations.isEmpty() ? "passed" : "FAILED"));
        return window;
    }

    /**
     * One sender's share of the open-loop schedule: event i of the run goes to user i mod users
     * (device (i / users) mod devices), due at its phase's start + k / rate; this sender owns the
     * users u with u mod senders = its index, so each device's events leave from one thread, in
     * order, and are sent when due without a hand-off. Events still unsent at {@code giveUpAt}
     * are not sent (the report shows fewer sent than scheduled).
     */
    private void sendLoop(int sender, int senders, List<Results.Phase> phases, long[] phaseStart, long giveUpAt,
            Ledger ledger) {
        long index = 0;
        for (int p = 0; p < phases.size(); p++) {
            Results.Phase phase = phases.get(p);
            long n = Math.round(phase.rate() * phase.seconds());
            double interval = 1e9 / phase.rate();
            for (long k = 0; k < n; k++, index++) {
                int user = (int) (index % sessions.users);
                if (user % senders != sender) {
                    continue;
                }
                long intended = phaseStart[p] + (long) (k * interval);
                Parallel.parkUntil(intended);
                if (System.nanoTime() > giveUpAt) {
                    return;
                }
                int device = (int) ((index / sessions.users) % sessions.devices);
                DeviceSession session = sessions.sessions[user][device];
                long eventNo = eventNumbers.getAndIncrement();
                byte[] payload = Payloads.make(payloadBytes, sessions.userIds[user], runId, eventNo);
                ClientFrame.SendEvent event = session.newEvent(STREAM, EVENT_TYPE, payload);
                Sent sent = ledger.register(eventNo, user, device, p, intended, event);
                sent.sentNanos = System.nanoTime();
                try {
                    session.send(event);
                } catch (RuntimeException e) {
                    ledger.sendFailed(sent);
                }
            }
        }
    }

    /** Waits until everything is answered and delivered, the deliveries stop coming, or the limit. */
    private void drain(Ledger ledger) {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        long lastDelivered = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long pending = ledger.pendingAnswers();
            long delivered = ledger.deliveredLive.sum();
            if (pending <= 0 && delivered >= ledger.expectedDeliveries.sum()) {
                return;
            }
            long now = System.nanoTime();
            if (delivered != lastDelivered) {
                lastDelivered = delivered;
                lastChange = now;
            } else if (pending <= 0 && now - lastChange > QUIET_LIMIT.toNanos()) {
                return;
            }
            Parallel.sleep(50);
        }
    }

    /**
     * The client side of "a gap in seq tells it to replay": each device online for the whole window
     * that misses stored events replays from just before the first missing seq (pages of 1000)
     * until the last one. Returns how many deliveries the replays supplied.
     */
    private long replayGaps(String label, Ledger ledger, boolean[][] whole) {
        List<Checker.Gap> gaps = Checker.gaps(ledger, whole);
        if (gaps.isEmpty()) {
            return 0;
        }
        long before = ledger.deliveredLate.sum();
        Console.progress(label, gaps.size() + " devices missed live deliveries: replaying");
        long deadline = System.nanoTime() + REPLAY_LIMIT.toNanos();
        for (Checker.Gap gap : gaps) {
            if (System.nanoTime() > deadline) {
                Console.warn(label + ": replay time limit reached; the rest counts as missing");
                break;
            }
            DeviceSession session = sessions.sessions[gap.user()][gap.device()];
            DeviceTrack track = sessions.tracks[gap.user()][gap.device()];
            long target = gap.seqs().getLast();
            try {
                replay(session, track, ledger, gap.seqs().getFirst() - 1, target, deadline, sessions.fault);
            } catch (RuntimeException e) {
                Console.warn(label + ": replay of user " + gap.user() + " device " + gap.device() + " failed: " + e);
            }
        }
        return ledger.deliveredLate.sum() - before;
    }

    static void replay(DeviceSession session, DeviceTrack track, Ledger ledger, long afterSeq, long throughSeq,
            long deadline, FaultInjector fault) {
        String token = null;
        long last = afterSeq;
        for (int page = 0; page < 100_000 && System.nanoTime() < deadline; page++) {
            ServerFrame.ReplayResponse r = token == null
                    ? session.replay(afterSeq, REPLAY_PAGE, null)
                    : session.replay(null, REPLAY_PAGE, token);
            for (ServerFrame.DeliveredEvent e : r.events()) {
                if (e.seq() <= last) {
                    ledger.violations.add(Violations.ORDER, "replay for user " + track.user + " device "
                            + track.device + ": seq " + e.seq() + " after seq " + last);
                }
                last = Math.max(last, e.seq());
                if (!fault.hideFromReplay(track, e)) {
                    track.onReplayed(e);
                }
            }
            if (!r.hasMore() || r.throughSeq() >= throughSeq || r.continuationToken() == null) {
                return;
            }
            token = r.continuationToken();
        }
    }

    /** Control events acked within this mean the previous window's backlog is gone. */
    static final Duration BACKLOG_CLEARED = Duration.ofMillis(250);
    /** How long {@link #settle} waits for the system to settle before the next window runs anyway. */
    static final Duration SETTLE_LIMIT = Duration.ofMinutes(2);

    /**
     * Between windows: sends one control event from the first device of up to ten users and
     * waits for the acks, until they all come back within {@code within} (the previous window's
     * backlog is gone) or {@link #SETTLE_LIMIT} passes. Returns whether it settled.
     */
    boolean settle(String label, Duration within) {
        sessions.connectMissing(label);
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        int users = Math.min(10, sessions.users);
        boolean announced = false;
        while (System.nanoTime() < deadline) {
            sessions.drainAll();
            List<String> ids = new ArrayList<>();
            List<Long> sentAt = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                DeviceSession s = sessions.sessions[u][0];
                ClientFrame.SendEvent e = s.newEvent(STREAM, EVENT_TYPE,
                        Payloads.make(payloadBytes, sessions.userIds[u], runId, CONTROL_EVENT));
                try {
                    s.send(e);
                } catch (RuntimeException ex) {
                    // a closed session: the next round reconnects it
                }
                ids.add(e.eventId());
                sentAt.add(System.nanoTime());
            }
            long worst = 0;
            boolean allAcked = true;
            for (int u = 0; u < users; u++) {
                long remaining = deadline - System.nanoTime();
                try {
                    ServerFrame f = remaining <= 0 ? null
                            : sessions.sessions[u][0].awaitOutcome(ids.get(u), Duration.ofNanos(remaining));
                    if (f instanceof ServerFrame.EventAck) {
                        worst = Math.max(worst, System.nanoTime() - sentAt.get(u));
                    } else {
                        allAcked = false;
                    }
                } catch (RuntimeException ex) {
                    allAcked = false;
                }
            }
            if (allAcked && worst < within.toNanos()) {
                sessions.drainAll();
                return true;
            }
            if (!announced) {
                Console.progress(label, "waiting for the previous load to clear (at most " + Durations.format(SETTLE_LIMIT) + ")");
                announced = true;
            }
            Parallel.sleep(1000);
            sessions.connectMissing(label);
        }
        sessions.drainAll();
        return false;
    }

    /** This JVM's CPU time so far. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    static String ms(double ms) {
        return Durations.ms(ms * 1e6);
    }

    /** The line a second, and the devices' cumulative acks. */
    private final class Ticker implements Runnable {
        private final String label;
        private final Ledger ledger;
        private final long start;
        volatile boolean stop;
        volatile String phase = "sending";

        Ticker(String label, Ledger ledger, long start) {
            this.label = label;
            this.ledger = ledger;
            this.start = start;
        }

        @Override
        public void run() {
            long lastSent = 0;
            long next = start + TimeUnit.SECONDS.toNanos(1);
            while (!stop) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    if (stop) {
                        return;
                    }
                    continue;
                }
                next += TimeUnit.SECONDS.toNanos(1);
                long sent = ledger.registered.get();
                Histogram ack = ledger.liveAck.snapshot();
                Histogram delivery = ledger.liveDelivery.snapshot();
                Console.progress(label, String.format(Locale.ROOT,
                        "%3ds %s  sent %d/s (%d)  acked %d  rejected %d  pending %d  delivered %d  "
                                + "p99 ack %s  p99 delivery %s",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), phase, sent - lastSent, sent,
                        ledger.acked.sum(), ledger.rejected.sum(), ledger.pendingAnswers(),
                        ledger.deliveredLive.sum(),
                        ack.getTotalCount() == 0 ? "-" : Durations.ms(ack.getValueAtPercentile(99)),
                        delivery.getTotalCount() == 0 ? "-" : Durations.ms(delivery.getValueAtPercentile(99))));
                lastSent = sent;
                sessions.ackReceived();
            }
        }
    }
}
