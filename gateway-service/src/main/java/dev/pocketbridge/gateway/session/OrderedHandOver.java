package dev.pocketbridge.gateway.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Hands one session's events to the event log in order: each only once the broker has the one
 * before it, and none after one that did not get there. Without this, an event queued in the
 * producer behind one that expired (the broker away for longer than the delivery timeout) could
 * still be stored once the broker is back, and the device's resend of the earlier event would be
 * refused as {@code non_monotonic_device_seq}: the session's 1013 close comes too late to stop
 * what the producer already holds.
 */
final class OrderedHandOver {

    private final Executor executor;
    /** The newest hand-over; guarded by {@code this}. */
    private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

    /** @param executor where {@code send} runs (it may block for the producer's metadata) */
    OrderedHandOver(Executor executor) {
        this.executor = executor;
    }

    /**
     * Runs {@code send} once every earlier hand-over has completed; the result completes when the
     * broker has the event. If an earlier one failed, {@code send} never runs and the result fails.
     */
    synchronized CompletableFuture<?> next(Supplier<? extends CompletableFuture<?>> send) {
        CompletableFuture<?> next = last.thenComposeAsync(previous -> send.get().thenApply(Object.class::cast), executor);
        last = next;
        return next;
    }
}
