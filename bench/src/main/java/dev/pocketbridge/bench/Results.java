package dev.pocketbridge.bench;

import java.util.List;
import java.util.Map;

/** The figures of a run, as the report shows them and benchmarks.json holds them (snake_case). */
public final class Results {

    private Results() {
    }

    /** One rate held for one duration of an open-loop schedule. */
    public record Phase(double rate, double seconds) {
    }

    public record PhaseStats(int index, double targetRate, double seconds, long sent, long acked, long unanswered,
            Map<String, Long> rejectedByCode, double shedShare, LatencySummary ack, LatencySummary delivery) {
    }

    /** Events by the second of the schedule they were meant to be sent in. */
    public record SecondStats(int second, long sent, long acked, long rejected, long unanswered, double ackP99Ms) {
    }

    /** The resends of events answered unavailable, after the window. */
    public record Resend(long attempted, long duplicate, long stored, long inconclusive, Map<String, Long> other) {
        public static final Resend NONE = new Resend(0, 0, 0, 0, Map.of());
    }

    /** What {@link Checker} finds in a window. */
    public record Checked(long sent, long sendFailed, long acked, long ackedDuplicate, Map<String, Long> rejectedByCode,
            long unanswered, LatencySummary ack, LatencySummary delivery, LatencySummary clientSendLag,
            long deliveriesExpected, long deliveredLive, long deliveredLate, long missing,
            List<PhaseStats> phases, List<SecondStats> perSecond) {

        public long rejected() {
            return rejectedByCode.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** One open-loop measurement window (W1, a W2 probe, overload). */
    public record Window(String label, double targetRate, double seconds, int users, int devicesPerUser,
            int payloadBytes, long sent, double sentRate, long sendFailed, long acked, double ackedRate,
            long ackedDuplicate, Map<String, Long> rejectedByCode, long unanswered, LatencySummary ack,
            LatencySummary delivery, LatencySummary clientSendLag, long deliveriesExpected, long deliveredLive,
            long deliveredByReplay, long missing, long duplicateDeliveries, long outsideWindow, long earlierRuns,
            long ownEcho, double clientCpuSeconds, Cpu cpu, Resend resend, List<String> sessionsClosed, Map<String, Long> sessionErrors,
            List<PhaseStats> phases, List<SecondStats> perSecond, List<Violations.Violation> violations,
            boolean checksPassed) {

        public long rejected() {
            return rejectedByCode.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Held: no check failed, nothing rejected, unanswered, lost or left to replay, and delivery p99 ≤ limit. */
        public boolean held(double deliveryP99LimitMs) {
            return checksPassed && rejected() == 0 && unanswered == 0 && sendFailed == 0 && missing == 0
                    && deliveredByReplay == 0 && sessionsClosed.isEmpty() && delivery.count() > 0
                    && delivery.p99Ms() <= deliveryP99LimitMs && sent >= 0.95 * targetRate * seconds;
        }

        /** Why {@link #held} is false, for the W2 log. */
        public String whyNotHeld(double deliveryP99LimitMs) {
            if (!checksPassed) {
                return "checks failed";
            }
            if (sent < 0.95 * targetRate * seconds) {
                return "the client sent only " + sent + " of " + Math.round(targetRate * seconds);
            }
            if (rejected() > 0) {
                return rejected() + " rejected " + rejectedByCode;
            }
            if (unanswered > 0 || sendFailed > 0) {
                return (unanswered + sendFailed) + " unanswered";
            }
            if (!sessionsClosed.isEmpty()) {
                return sessionsClosed.size() + " sessions closed";
            }
            if (missing > 0 || deliveredByReplay > 0) {
                return (missing + deliveredByReplay) + " deliveries missed live";
            }
            if (delivery.count() == 0) {
                return "nothing delivered";
            }
            if (delivery.p99Ms() > deliveryP99LimitMs) {
                return "delivery p99 " + delivery.p99Ms() + " ms";
            }
            return "held";
        }
    }

    /**
     * The CPU time of the system's processes over a window, its schedule and its drain ({@link SystemCpu}):
     * seconds by part of the system, and the machine's busy cores on average (every process on it,
     * the bench's included).
     */
    public record Cpu(double seconds, Map<String, Double> secondsByPart, double machineBusyCores, int cores) {

        /** The seconds of every part of the system together. */
        public double systemSeconds() {
            return secondsByPart.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** W2: the probes and the confirmed rate. */
    public record Throughput(double heldRate, Window confirmed, List<Probe> probes, String note,
            List<Violations.Violation> violations, boolean checksPassed) {
    }

    public record Probe(double rate, double seconds, boolean held, String reason, double ackP99Ms,
            double deliveryP99Ms, boolean confirmation) {
    }

    /** Overload: the window, plus the figures of its two phases. */
    public record Overload(double baseRate, String basis, double overloadRate, Window window, double shedShare,
            LatencySummary admittedAck, long unanswered, Double recoverySeconds, String recoveryRule) {
    }

    /** W3. */
    public record Connections(int target, int concurrency, long opened, long failed, Map<String, Long> failures,
            double seconds, double handshakesPerSecond, LatencySummary handshake, long stillOpen,
            Memory before, Memory after, Memory closed, Double rssPerSessionBytes, Double heapPerSessionBytes, Long gatewayHeapMaxBytes,
            String memoryNote, Long clientHeapUsedBytes) {
    }

    /** The gateway's memory at one moment. */
    public record Memory(Long rssBytes, Long heapUsedBytes, boolean gcForced) {
    }

    /**
     * W4. The handshake, replay, catch-up and page figures are those of the median catch-up by rate
     * ({@code eventsPerSecond}); {@code catchUpRates} are every catch-up's, in the order they ran.
     */
    public record CatchUp(int events, int maxInflight, double sendSeconds, double sendRate, long backpressure,
            Map<String, Long> rejectedByCode, long resent, double handshakeMs, double replaySeconds,
            double catchUpSeconds, double eventsPerSecond, List<Double> catchUpRates, long pages, long replayedEvents,
            long replayedBytes, long headSeq, WarmUp warmUp, List<Violations.Violation> violations,
            boolean checksPassed, String note) {
    }

    /**
     * W4's warm-up: the offline device's replays of the whole log before its catch-ups are timed, on
     * connections of its own, and the replay rates of its first and last pass.
     */
    public record WarmUp(long events, int passes, int connections, double seconds, double firstPassRate,
            double lastPassRate) {
    }

    /** Registration of the bench's devices. */
    public record Registration(int devicesNeeded, int devicesReused, int devicesRegistered, double seconds,
            double devicesPerSecond, LatencySummary perDevice, String store) {
    }

    /** The bare path ({@link dev.pocketbridge.bench.BarePath}): the event path's components alone, at W1's rate and at 10,000/s. */
    public record BarePath(int users, int devicesPerUser, int payloadBytes, List<BareRate> rates, String error) {
    }

    /**
     * One rate of the bare path with its clients' {@code batching}: what was sent in the measured
     * seconds, and acked and delivered (of {@code deliveriesExpected}) by the end of the drain; the
     * latencies from when each event was due, and to when its device was handed it ({@code sendLag});
     * this JVM's CPU (the devices and the pipeline) and that of the system's processes ({@code cpu}).
     */
    public record BareRate(double rate, String batching, double seconds, long sent, long acked, long delivered,
            long deliveriesExpected, LatencySummary ack, LatencySummary delivery, LatencySummary sendLag,
            double benchCpuSeconds, Cpu cpu) {

        /** Every event acked and every delivery made by the end of the drain. */
        public boolean complete() {
            return acked >= sent && delivered >= deliveriesExpected;
        }
    }

    /** The floor: the broker and the database alone. */
    public record Floor(KafkaFloor kafka, PostgresFloor postgres) {
    }

    public record KafkaFloor(String bootstrap, int samples, LatencySummary produceAck, LatencySummary roundTrip,
            String error) {
    }

    public record PostgresFloor(String address, int samples, LatencySummary commit, String fsync,
            String synchronousCommit, String walSyncMethod, String sharedBuffers, String serverVersion, String error) {
    }
}
