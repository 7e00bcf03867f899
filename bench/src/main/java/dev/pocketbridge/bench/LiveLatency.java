package dev.pocketbridge.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency distribution recorded from many threads while a workload runs (HdrHistogram's
 * wait-free {@link Recorder}), read once a second for the progress line.
 */
final class LiveLatency {

    private final Recorder recorder = new Recorder(3);
    private final Histogram total = LatencySummary.newHistogram();
    private Histogram interval;

    void record(long nanos) {
        recorder.recordValue(Math.max(0, nanos));
    }

    /** Everything recorded so far. */
    synchronized Histogram snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total.copy();
    }
}
