package dev.pocketbridge.bench;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** Percentiles of one latency distribution, in milliseconds. */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
        double meanMs) {

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    /** From a histogram of nanoseconds. */
    public static LatencySummary of(Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(h.getTotalCount(),
                Durations.toMs(h.getValueAtPercentile(50)),
                Durations.toMs(h.getValueAtPercentile(90)),
                Durations.toMs(h.getValueAtPercentile(99)),
                Durations.toMs(h.getValueAtPercentile(99.9)),
                Durations.toMs(h.getMaxValue()),
                Durations.toMs(h.getMean()));
    }

    /** A histogram of nanoseconds that records anything from 1 µs up, three significant digits. */
    public static Histogram newHistogram() {
        Histogram h = new Histogram(3);
        h.setAutoResize(true);
        return h;
    }

    /** Records a latency, clamping negative values (clock reads on two threads) to zero. */
    public static void record(Histogram h, long nanos) {
        h.recordValue(Math.max(0, nanos));
    }

    @JsonIgnore
    public boolean isEmpty() {
        return count == 0;
    }
}
