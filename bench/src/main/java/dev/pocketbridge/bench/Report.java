package dev.pocketbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Everything a run measured and checked: benchmarks.json is this record, benchmarks.md its rendering. */
public record Report(
        String generatedAt,
        String command,
        String status,
        List<String> failures,
        String error,
        Map<String, Object> machine,
        Map<String, Object> git,
        Map<String, Object> versions,
        Map<String, Object> settings,
        Map<String, Object> serverLimits,
        Results.Registration registration,
        Results.Floor floor,
        Results.BarePath barePath,
        Ratios ratios,
        Results.Window w1,
        Results.Throughput w2,
        Results.Connections w3,
        Results.CatchUp w4,
        Results.Overload overload,
        List<Goal> goals,
        List<String> notes) {

    public static final String PASSED = "passed";
    public static final String FAILED = "FAILED";
    public static final String ERROR = "error";

    /** One line of the goals table; {@code status} is met, not met, invalid (checks failed) or not run. */
    public record Goal(String workload, String goal, String measured, String status) {
    }

    /** W1's latencies over the floor: one Kafka round trip, one commit, and the event path's minimum. */
    public record Ratios(Double pathFloorP50Ms, Double pathFloorP99Ms, Double ackP50OverPathFloor,
            Double ackP99OverPathFloor, Double deliveryP50OverPathFloor, Double deliveryP99OverPathFloor,
            Double ackP50OverKafkaRoundTrip, Double ackP50OverCommit, String pathFloorDefinition) {
    }

    static final double W1_ACK_P99_MS = 20;
    static final double W1_DELIVERY_P99_MS = 30;
    static final double W2_RATE = 20_000;
    /** The W2 rate that closes the issue short of its goal (its "done means"). */
    static final int W2_TO_CLOSE = 10_000;
    static final int W3_SESSIONS = 20_000;
    static final double W3_BYTES_PER_SESSION = 16 * 1024;
    static final double W3_HANDSHAKES = 1_000;
    static final double W4_RATE = 100_000;
    /** The event path: inbound, stored and deliveries each one produce→consume, plus the event log's commit. */
    static final int KAFKA_HOPS = 3;

    static Ratios ratios(Results.Floor floor, Results.Window w1) {
        if (floor == null || w1 == null || floor.kafka() == null || floor.postgres() == null
                || floor.kafka().roundTrip().isEmpty() || floor.postgres().commit().isEmpty() || w1.ack().isEmpty()) {
            return null;
        }
        double p50 = KAFKA_HOPS * floor.kafka().roundTrip().p50Ms() + floor.postgres().commit().p50Ms();
        double p99 = KAFKA_HOPS * floor.kafka().roundTrip().p99Ms() + floor.postgres().commit().p99Ms();
        return new Ratios(round2(p50), round2(p99), ratio(w1.ack().p50Ms(), p50), ratio(w1.ack().p99Ms(), p99),
                ratio(w1.delivery().p50Ms(), p50), ratio(w1.delivery().p99Ms(), p99),
                ratio(w1.ack().p50Ms(), floor.kafka().roundTrip().p50Ms()),
                ratio(w1.ack().p50Ms(), floor.postgres().commit().p50Ms()),
                KAFKA_HOPS + " Kafka produce->consume round trips (events.inbound, events.stored, deliveries) "
                        + "+ 1 PostgreSQL commit, at the same percentile");
    }

    private static Double ratio(double value, double floor) {
        return floor <= 0 || value <= 0 ? null : round2(value / floor);
    }

    static double round2(double x) {
        return Math.round(x * 100) / 100.0;
    }

    static List<Goal> goals(Results.Window w1, Results.Throughput w2, Results.Connections w3, Results.CatchUp w4) {
        List<Goal> goals = new ArrayList<>();
        if (w1 == null) {
            goals.add(new Goal("W1", "p99 send→event_ack ≤ 20 ms", "-", "not run"));
            goals.add(new Goal("W1", "p99 send→delivery ≤ 30 ms", "-", "not run"));
        } else {
            goals.add(goal("W1", "p99 send→event_ack ≤ 20 ms", ms(w1.ack().p99Ms()), w1.checksPassed(),
                    !w1.ack().isEmpty() && w1.ack().p99Ms() <= W1_ACK_P99_MS));
            goals.add(goal("W1", "p99 send→delivery ≤ 30 ms", ms(w1.delivery().p99Ms()), w1.checksPassed(),
                    !w1.delivery().isEmpty() && w1.delivery().p99Ms() <= W1_DELIVERY_P99_MS));
        }
        if (w2 == null) {
            goals.add(new Goal("W2", "≥ 20,000 events/s held 60 s (delivery p99 ≤ 100 ms, nothing lost)", "-", "not run"));
        } else {
            goals.add(goal("W2", "≥ 20,000 events/s held 60 s (delivery p99 ≤ 100 ms, nothing lost)",
                    String.format(java.util.Locale.ROOT, "%,.0f events/s", w2.heldRate()), w2.checksPassed(),
                    w2.heldRate() >= W2_RATE));
        }
        if (w3 == null) {
            goals.add(new Goal("W3", "20,000 sessions on one gateway", "-", "not run"));
            goals.add(new Goal("W3", "≤ 16 KiB per session", "-", "not run"));
            goals.add(new Goal("W3", "≥ 1,000 handshakes/s", "-", "not run"));
        } else {
            goals.add(goal("W3", "20,000 sessions on one gateway", String.format(java.util.Locale.ROOT, "%,d open", w3.stillOpen()),
                    true, w3.stillOpen() >= W3_SESSIONS));
            // RSS misses heap growth into pages the JVM had already committed, the heap misses native memory:
            // the goal is judged on the larger of the two
            Double rss = w3.rssPerSessionBytes();
            Double heap = w3.heapPerSessionBytes();
            Double perSession = rss == null ? heap : heap == null ? rss : Math.max(rss, heap);
            String which = perSession == null ? "" : perSession.equals(rss) ? "RSS" : "heap";
            goals.add(perSession == null ? new Goal("W3", "≤ 16 KiB per session", "not measured", "not measured")
                    : goal("W3", "≤ 16 KiB per session", String.format(java.util.Locale.ROOT, "%.1f KiB (%s)",
                            perSession / 1024, which), true, perSession <= W3_BYTES_PER_SESSION));
            goals.add(goal("W3", "≥ 1,000 handshakes/s", String.format(java.util.Locale.ROOT, "%,.0f/s", w3.handshakesPerSecond()),
                    true, w3.handshakesPerSecond() >= W3_HANDSHAKES));
        }
        if (w4 == null) {
            goals.add(new Goal("W4", "catch-up ≥ 100,000 events/s", "-", "not run"));
        } else {
            goals.add(goal("W4", "catch-up ≥ 100,000 events/s", String.format(java.util.Locale.ROOT, "%,.0f events/s",
                    w4.eventsPerSecond()), w4.checksPassed(), w4.eventsPerSecond() >= W4_RATE));
        }
        return goals;
    }

    private static Goal goal(String workload, String goal, String measured, boolean valid, boolean met) {
        return new Goal(workload, goal, valid ? measured : "-", !valid ? "invalid (checks failed)" : met ? "met" : "not met");
    }

    private static String ms(double ms) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", ms);
    }
}
