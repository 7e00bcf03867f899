package dev.pocketbridge.gateway.session;

import com.netflix.concurrency.limits.limit.AbstractLimit;

/**
 * An admission limit by Little's law: as many events may await their outcome as this node saw
 * outcomes in {@code target} of its recent past, so under sustained overload an admitted event
 * waits about {@code target} on average, however fast or slow the system is right now (a little
 * more: the best half second overstates a bursty pace; docs/performance.md has the figures).
 *
 * <p>The rate is the highest count of outcomes in any half second of the last three: a pause of
 * a second (a collection, a broker's hiccup) leaves the limit where it was, so the events that pile
 * up meanwhile are admitted as long as they fit in {@code target} of the node's proven pace, and
 * are not shed at a load the system carries; a system that has truly slowed brings the limit down
 * within three seconds, and one that speeds up raises it within half a second. A lost outcome
 * (timed out, never produced) is no outcome. Until the first half second has been measured the
 * limit is the initial one (a just-started node's first events are slow: slow start, as TCP does
 * it); it always stays within {@code min} and {@code max}.
 *
 * <p>This replaces additive increase and multiplicative decrease, which grows only while at least
 * half the limit is in flight: at a steady rate well within capacity it stayed near twice the
 * events in flight, and the burst behind any pause of a few hundred milliseconds was shed.
 * Called under {@link AbstractLimit}'s lock, by the limiter, once per outcome.
 */
final class OutcomeRateLimit extends AbstractLimit {

    /** One measured slice of time. */
    private static final long WINDOW_NANOS = 500_000_000L;
    /** Slices remembered: the rate is the best of the last {@code WINDOWS} half seconds. */
    private static final int WINDOWS = 6;

    private final int min;
    private final int max;
    private final long targetNanos;
    private final long[] outcomes = new long[WINDOWS];
    private int current;
    private long currentStart;
    private boolean started;
    private boolean measured;

    OutcomeRateLimit(int initial, int min, int max, long targetNanos) {
        super(Math.max(min, Math.min(max, initial)));
        if (min < 1 || max < min || targetNanos <= 0) {
            throw new IllegalArgumentException("need 1 <= min <= max and a positive target");
        }
        this.min = min;
        this.max = max;
        this.targetNanos = targetNanos;
    }

    @Override
    protected int _update(long startTime, long rtt, int inflight, boolean didDrop) {
        advanceTo(startTime + rtt);
        if (!didDrop) {
            outcomes[current]++;
        }
        if (!measured) {
            return getLimit();
        }
        long best = 0;
        for (long count : outcomes) { // once per outcome: a loop over six, no stream
            best = Math.max(best, count);
        }
        // best outcomes per WINDOW_NANOS, times the target: events that fit in it at that pace
        double budget = (double) best * targetNanos / WINDOW_NANOS;
        return (int) Math.max(min, Math.min(max, budget));
    }

    /** Moves the current slice to the one {@code now} falls in, emptying those it passes. */
    private void advanceTo(long now) {
        if (!started) {
            started = true;
            currentStart = now;
            return;
        }
        long passed = (now - currentStart) / WINDOW_NANOS;
        if (passed <= 0) {
            return;
        }
        measured = true;
        for (long i = 0; i < Math.min(passed, WINDOWS); i++) {
            current = (current + 1) % WINDOWS;
            outcomes[current] = 0;
        }
        currentStart += passed * WINDOW_NANOS;
    }

    @Override
    public String toString() {
        return "OutcomeRateLimit[limit=" + getLimit() + ", min=" + min + ", max=" + max + ", targetNanos=" + targetNanos + "]";
    }
}
