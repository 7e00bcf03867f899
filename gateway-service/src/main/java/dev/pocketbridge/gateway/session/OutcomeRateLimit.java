package dev.pocketbridge.gateway.session;

import com.netflix.concurrency.limits.limit.AbstractLimit;

/**
 * An admission limit by Little's law: as many events may await their outcome as this node saw
 * outcomes in {@code target} of its recent past, so under sustained overload an admitted event
 * waits about {@code target} on average, however fast or slow the system is right now (a little
 * more: the best half second overstates a bursty pace; docs/performance.md has the figures).
 *
 * <p>The rate is the highest count of outcomes in any of the last six half seconds that measured
 * the node: a half second counts if its events were slow (one waited longer than {@code target} for
 * its outcome, or lost it), because then the node, not the devices, set the pace; or if it beat
 * every count kept, because the node can do at least that. A half second of fast outcomes at a
 * lower count measured only the devices' demand, so it changes nothing: a quiet spell, a light load
 * or a short burst leaves the limit at the pace the node has proven, and the burst that follows is
 * admitted (aging the limit by idle time shed the first second of every burst after three quiet
 * seconds); so does a pause of a second (a collection, a broker's hiccup), which brings no outcome
 * at all. A system that has truly slowed makes its admitted events wait longer than the target, so
 * its slow half seconds bring the limit down within three seconds; one that speeds up raises it
 * within half a second. A lost outcome (timed out, never produced) is no outcome. Until the first
 * half second has been measured the limit is the initial one (a just-started node's first events
 * are slow: slow start, as TCP does it); it always stays within {@code min} and {@code max}.
 *
 * <p>This replaces additive increase and multiplicative decrease, which grows only while at least
 * half the limit is in flight: at a steady rate well within capacity it stayed near twice the
 * events in flight, and the burst behind any pause of a few hundred milliseconds was shed.
 * Called under {@link AbstractLimit}'s lock, by the limiter, once per outcome.
 */
final class OutcomeRateLimit extends AbstractLimit {

    /** One measured slice of time. */
    private static final long WINDOW_NANOS = 500_000_000L;
    /** Slices remembered: the rate is the best of the last {@code WINDOWS} that measured the node. */
    private static final int WINDOWS = 6;

    private final int min;
    private final int max;
    private final long targetNanos;
    /** Outcomes of the last {@code WINDOWS} half seconds that measured the node, a ring. */
    private final long[] measuredOutcomes = new long[WINDOWS];
    private int nextSlot;
    /** Outcomes of the half second that {@code currentStart} begins, so far. */
    private long currentOutcomes;
    /** Whether an outcome of the current half second came late or never. */
    private boolean currentSlow;
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
        if (didDrop || rtt > targetNanos) {
            currentSlow = true;
        }
        if (!didDrop) {
            currentOutcomes++;
        }
        if (!measured) {
            return getLimit();
        }
        // best outcomes per WINDOW_NANOS (the current slice's so far is a lower bound), times the
        // target: events that fit in it at that pace
        double budget = (double) Math.max(best(), currentOutcomes) * targetNanos / WINDOW_NANOS;
        return (int) Math.max(min, Math.min(max, budget));
    }

    /** The highest count of the half seconds kept; once per outcome: a loop over six, no stream. */
    private long best() {
        long best = 0;
        for (long count : measuredOutcomes) {
            best = Math.max(best, count);
        }
        return best;
    }

    /**
     * Closes the current slice when {@code now} is past it, keeping its count if it measured the
     * node. The slices passed without an outcome measured nothing: a pause is not a pace.
     */
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
        if (currentSlow || currentOutcomes > best()) {
            measuredOutcomes[nextSlot] = currentOutcomes;
            nextSlot = (nextSlot + 1) % WINDOWS;
        }
        currentOutcomes = 0;
        currentSlow = false;
        currentStart += passed * WINDOW_NANOS;
    }

    @Override
    public String toString() {
        return "OutcomeRateLimit[limit=" + getLimit() + ", min=" + min + ", max=" + max + ", targetNanos=" + targetNanos + "]";
    }
}
