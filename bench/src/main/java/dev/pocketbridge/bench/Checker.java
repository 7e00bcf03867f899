package dev.pocketbridge.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * The checks and figures of a finished window, from the {@link Ledger} alone (no network):
 * every stored event reached every other device of its user that was online for the whole
 * window; no rejected event was stored; no seq was given twice; plus the latency distributions
 * (from the scheduled send time), per phase and per second.
 */
final class Checker {

    /** A device that must still get some stored events (before the gap replay). */
    record Gap(int user, int device, List<Long> seqs) {
    }

    private Checker() {
    }

    /** Per device online for the whole window, the seqs of stored events it has not got yet. */
    static List<Gap> gaps(Ledger ledger, boolean[][] wholeWindow) {
        Map<Long, List<Long>> missing = new TreeMap<>();
        for (Sent s : ledger.all()) {
            if (!s.stored() || s.storedByResend) {
                continue;
            }
            for (int d = 0; d < ledger.devicesPerUser; d++) {
                if (d != s.device && wholeWindow[s.user][d] && !s.reached(d)) {
                    missing.computeIfAbsent(((long) s.user << 8) | d, k -> new ArrayList<>()).add(s.seq.get());
                }
            }
        }
        List<Gap> gaps = new ArrayList<>();
        missing.forEach((key, seqs) -> {
            seqs.sort(Comparator.naturalOrder());
            gaps.add(new Gap((int) (key >> 8), (int) (key & 0xff), seqs));
        });
        return gaps;
    }

    /**
     * Checks the window and computes its figures; violations go to {@code ledger.violations}.
     *
     * @param phaseStartNanos when each phase of the schedule began
     * @param runStartNanos   when the schedule began (second 0 of the per-second figures)
     */
    static Results.Checked check(Ledger ledger, boolean[][] wholeWindow, List<Results.Phase> phases,
            long[] phaseStartNanos, long runStartNanos) {
        Violations v = ledger.violations;
        List<Sent> all = ledger.all();
        Histogram ack = LatencySummary.newHistogram();
        Histogram delivery = LatencySummary.newHistogram();
        Histogram lag = LatencySummary.newHistogram();
        int phaseCount = Math.max(1, phases.size());
        Histogram[] phaseAck = new Histogram[phaseCount];
        Histogram[] phaseDelivery = new Histogram[phaseCount];
        long[] phaseSent = new long[phaseCount];
        long[] phaseAcked = new long[phaseCount];
        long[] phaseUnanswered = new long[phaseCount];
        List<Map<String, Long>> phaseRejected = new ArrayList<>();
        for (int i = 0; i < phaseCount; i++) {
            phaseAck[i] = LatencySummary.newHistogram();
            phaseDelivery[i] = LatencySummary.newHistogram();
            phaseRejected.add(new TreeMap<>());
        }
        TreeMap<Integer, long[]> secondCounts = new TreeMap<>(); // sent, acked, rejected, unanswered
        TreeMap<Integer, Histogram> secondAck = new TreeMap<>();
        Map<String, Long> rejectedByCode = new TreeMap<>();
        long sendFailed = 0;
        long acked = 0;
        long ackedDuplicate = 0;
        long unanswered = 0;
        long expected = 0;
        long live = 0;
        long late = 0;
        long missing = 0;

        for (Sent s : all) {
            int p = Math.min(Math.max(s.phase, 0), phaseCount - 1);
            int second = (int) Math.max(0, (s.intendedNanos - runStartNanos) / 1_000_000_000L);
            long[] sc = secondCounts.computeIfAbsent(second, k -> new long[4]);
            phaseSent[p]++;
            sc[0]++;
            if (s.sentNanos != 0) {
                LatencySummary.record(lag, s.sentNanos - s.intendedNanos);
            }
            if (s.sendFailed) {
                sendFailed++;
            } else if (s.acked()) {
                acked++;
                phaseAcked[p]++;
                sc[1]++;
                if (ServerFrame.EventAck.DUPLICATE.equals(s.ackStatus)) {
                    ackedDuplicate++;
                }
                long latency = s.ackNanos - s.intendedNanos;
                LatencySummary.record(ack, latency);
                LatencySummary.record(phaseAck[p], latency);
                LatencySummary.record(secondAck.computeIfAbsent(second, k -> LatencySummary.newHistogram()), latency);
            } else if (s.rejectCode != null) {
                rejectedByCode.merge(s.rejectCode, 1L, Long::sum);
                phaseRejected.get(p).merge(s.rejectCode, 1L, Long::sum);
                sc[2]++;
            } else {
                unanswered++;
                phaseUnanswered[p]++;
                sc[3]++;
            }

            if (s.rejectCode != null && !Ledger.UNAVAILABLE.equals(s.rejectCode) && s.stored()) {
                v.add(Violations.REJECTED_STORED, s + " was rejected " + s.rejectCode + " but stored");
            }
            for (int d = 0; d < ledger.devicesPerUser; d++) {
                if (s.deliveredNanos[d] != 0) {
                    long latency = s.deliveredNanos[d] - s.intendedNanos;
                    LatencySummary.record(delivery, latency);
                    LatencySummary.record(phaseDelivery[p], latency);
                    live++;
                } else if ((s.lateMask.get() & (1 << d)) != 0) {
                    late++;
                }
            }
            if (!s.stored() || s.storedByResend) {
                continue;
            }
            for (int d = 0; d < ledger.devicesPerUser; d++) {
                if (d == s.device || !wholeWindow[s.user][d]) {
                    continue;
                }
                expected++;
                if (!s.reached(d)) {
                    missing++;
                    v.add(Violations.MISSING_DELIVERY, s + " never reached device " + d);
                }
            }
        }

        // one seq per event of a user: stored events sorted by (user, seq) must not repeat a seq
        List<Sent> stored = new ArrayList<>(all.stream().filter(Sent::stored).toList());
        stored.sort(Comparator.<Sent>comparingInt(s -> s.user).thenComparingLong(s -> s.seq.get()));
        for (int i = 1; i < stored.size(); i++) {
            Sent a = stored.get(i - 1);
            Sent b = stored.get(i);
            if (a.user == b.user && a.seq.get() == b.seq.get()) {
                v.add(Violations.SEQ_CONFLICT, "seq " + a.seq.get() + " of user " + a.user + " given to " + a
                        + " and " + b);
            }
        }

        List<Results.PhaseStats> phaseStats = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            long shed = phaseRejected.get(i).getOrDefault(Ledger.BACKPRESSURE, 0L);
            phaseStats.add(new Results.PhaseStats(i + 1, phases.get(i).rate(), phases.get(i).seconds(), phaseSent[i],
                    phaseAcked[i], phaseUnanswered[i], phaseRejected.get(i),
                    phaseSent[i] == 0 ? 0 : round4((double) shed / phaseSent[i]),
                    LatencySummary.of(phaseAck[i]), LatencySummary.of(phaseDelivery[i])));
        }
        List<Results.SecondStats> seconds = new ArrayList<>();
        secondCounts.forEach((second, c) -> {
            Histogram h = secondAck.get(second);
            seconds.add(new Results.SecondStats(second, c[0], c[1], c[2], c[3],
                    h == null ? 0 : Durations.toMs(h.getValueAtPercentile(99))));
        });
        return new Results.Checked(all.size(), sendFailed, acked, ackedDuplicate, rejectedByCode, unanswered,
                LatencySummary.of(ack), LatencySummary.of(delivery), LatencySummary.of(lag), expected, live, late,
                missing, phaseStats, seconds);
    }

    /**
     * Seconds after {@code fromSecond} until the system is back to normal: the start of the first
     * one-second window from which every window up to the end has everything acked (nothing shed
     * or unanswered) with ack p99 ≤ {@code limitMs}. Null when that never happens.
     */
    static Double recoverySeconds(List<Results.SecondStats> seconds, int fromSecond, int endSecond, double limitMs) {
        Integer recovered = null;
        for (int s = endSecond - 1; s >= fromSecond; s--) {
            Results.SecondStats w = find(seconds, s);
            boolean good = w != null && w.acked() > 0 && w.rejected() == 0 && w.unanswered() == 0
                    && w.ackP99Ms() <= limitMs;
            if (!good) {
                break;
            }
            recovered = s;
        }
        return recovered == null ? null : (double) (recovered - fromSecond);
    }

    private static Results.SecondStats find(List<Results.SecondStats> seconds, int second) {
        for (Results.SecondStats s : seconds) {
            if (s.second() == second) {
                return s;
            }
        }
        return null;
    }

    static double round4(double x) {
        return Math.round(x * 10_000) / 10_000.0;
    }
}
