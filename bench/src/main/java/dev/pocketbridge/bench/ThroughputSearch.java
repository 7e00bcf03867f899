package dev.pocketbridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * W2: the highest rate held for the full duration with delivery p99 ≤ 100 ms and nothing lost.
 * Short probes step the rate ×1.5 up from the start rate while they hold; if the start rate does
 * not hold, they halve it until one holds and then narrow the gap to the last rate that did not
 * hold to within 1.2× by trying the (geometric) middle. Each probe starts on a settled system
 * ({@link #SETTLED_WITHIN}). The best is then run for the full duration; if that does not hold,
 * ÷1.5 and again (at most three confirmations).
 */
final class ThroughputSearch {

    static final double DELIVERY_P99_LIMIT_MS = 100;
    private static final int MAX_PROBES = 12;
    /** Searching down, the rates that held and did not are narrowed until within this ratio. */
    static final double BISECT_RATIO = 1.2;
    /**
     * Before each probe, the system must answer control events within this (half the p99 limit):
     * a probe measures the rate it runs at, not the tail of the saturating probe before it, whose
     * recovery the overload workload measures.
     */
    static final Duration SETTLED_WITHIN = Duration.ofMillis(50);
    private static final int MAX_CONFIRMATIONS = 3;
    private static final double MIN_RATE = 1;

    private ThroughputSearch() {
    }

    static Results.Throughput run(LoadEngine engine, double startRate, Duration probe, Duration full, List<String> notes) {
        List<Results.Probe> probes = new ArrayList<>();
        Violations violations = new Violations();
        double best = 0;
        double rate = startRate;
        Results.Window w = probe(engine, rate, probe, false, probes, violations, notes);
        if (w.held(DELIVERY_P99_LIMIT_MS)) {
            best = rate;
            while (probes.size() < MAX_PROBES && violations.isEmpty()) {
                double next = Math.round(rate * 1.5);
                w = probe(engine, next, probe, false, probes, violations, notes);
                if (!w.held(DELIVERY_P99_LIMIT_MS)) {
                    break;
                }
                best = rate = next;
            }
        } else {
            double failed = rate;
            while (probes.size() < MAX_PROBES && violations.isEmpty()) {
                rate = Math.floor(rate / 2);
                if (rate < MIN_RATE) {
                    break;
                }
                w = probe(engine, rate, probe, false, probes, violations, notes);
                if (w.held(DELIVERY_P99_LIMIT_MS)) {
                    best = rate;
                    break;
                }
                failed = rate;
            }
            // Halving leaves a factor of two between the rate that held and the one that did not:
            // narrow it to within BISECT_RATIO by trying the rate between them.
            OptionalDouble middle = best > 0 ? between(best, failed) : OptionalDouble.empty();
            while (middle.isPresent() && probes.size() < MAX_PROBES && violations.isEmpty()) {
                w = probe(engine, middle.getAsDouble(), probe, false, probes, violations, notes);
                if (w.held(DELIVERY_P99_LIMIT_MS)) {
                    best = middle.getAsDouble();
                } else {
                    failed = middle.getAsDouble();
                }
                middle = between(best, failed);
            }
        }
        if (!violations.isEmpty()) {
            return new Results.Throughput(0, null, probes, "stopped: checks failed", violations.list(), false);
        }
        if (best == 0) {
            return new Results.Throughput(0, null, probes, "no probe rate held, down to " + Markdown.num(rate)
                    + " events/s", List.of(), true);
        }
        Results.Window last = null;
        for (int i = 0; i < MAX_CONFIRMATIONS && best >= MIN_RATE; i++) {
            last = probe(engine, best, full, true, probes, violations, notes);
            if (!violations.isEmpty()) {
                return new Results.Throughput(0, last, probes, "stopped: checks failed", violations.list(), false);
            }
            if (last.held(DELIVERY_P99_LIMIT_MS)) {
                Console.say(String.format(Locale.ROOT, "W2: %s events/s held for %s", Markdown.num(best),
                        Durations.format(full)));
                return new Results.Throughput(best, last, probes, null, List.of(), true);
            }
            best = Math.floor(best / 1.5);
        }
        return new Results.Throughput(0, last, probes, "the probe rates did not hold for the full duration, nor "
                + (MAX_CONFIRMATIONS - 1) + " rates each 1.5× lower",
                List.of(), true);
    }

    /**
     * The whole rate to try between a rate that held and a higher one that did not: their geometric
     * middle, or empty once they are within {@link #BISECT_RATIO} or no whole rate lies between.
     */
    static OptionalDouble between(double held, double failed) {
        if (failed / held <= BISECT_RATIO) {
            return OptionalDouble.empty();
        }
        double middle = Math.round(Math.sqrt(held * failed));
        return middle > held && middle < failed ? OptionalDouble.of(middle) : OptionalDouble.empty();
    }

    private static Results.Window probe(LoadEngine engine, double rate, Duration length, boolean confirmation,
            List<Results.Probe> probes, Violations violations, List<String> notes) {
        if (!engine.settle("W2", SETTLED_WITHIN)) {
            notes.add("W2: the system had not cleared the previous load after " + Durations.format(LoadEngine.SETTLE_LIMIT)
                    + " before the " + Markdown.num(rate) + "/s run");
        }
        String label = "W2 " + (confirmation ? "confirm " : "probe ") + Markdown.num(rate) + "/s";
        Results.Window w = engine.run(label, List.of(new Results.Phase(rate, length.toMillis() / 1000.0)));
        boolean held = w.held(DELIVERY_P99_LIMIT_MS);
        String reason = w.whyNotHeld(DELIVERY_P99_LIMIT_MS);
        probes.add(new Results.Probe(rate, w.seconds(), held, reason, w.ack().p99Ms(), w.delivery().p99Ms(), confirmation));
        for (Violations.Violation v : w.violations()) {
            violations.add(v, label + ": ");
        }
        Console.progress("W2", label + (held ? " held" : " did not hold: " + reason));
        return w;
    }
}
