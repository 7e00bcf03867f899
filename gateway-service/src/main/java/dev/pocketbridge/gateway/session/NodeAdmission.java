package dev.pocketbridge.gateway.session;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Admission control of this gateway node: how many events of all its sessions may await their
 * outcome at once. The limit adapts (a Netflix concurrency-limits limiter with the
 * {@link OutcomeRateLimit}): it is the node's proven rate of outcomes times
 * {@code admission-target-latency}, between {@code admission-min-limit} and
 * {@code max-node-inflight-events}, and never below one session's window ({@link #floor}). Above
 * the limit an event is refused at once with
 * {@code backpressure}, before it costs Kafka, the event log or the relay anything, so overload
 * sheds early and visibly, the backlog stays a fraction of a second of work, admitted events keep
 * a short ack time, and the limit climbs back as soon as the load drops.
 */
@Component
class NodeAdmission {

    static final String SHED_METRIC = "pocketbridge.gateway.events.shed";
    /** Time from admitting an event to its outcome (ack or rejection) arriving at this node. */
    static final String OUTCOME_METRIC = "pocketbridge.gateway.events.outcome";

    private final SimpleLimiter<Void> limiter;
    private final Counter shed;
    private final Timer outcome;
    private final LongSupplier nanoClock;

    @Autowired
    NodeAdmission(SessionProperties properties, MeterRegistry meters) {
        this(properties, meters, System::nanoTime);
    }

    /** @param nanoClock what the limit and the outcome timer measure time with (tests set it) */
    NodeAdmission(SessionProperties properties, MeterRegistry meters, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        int max = properties.maxNodeInflightEvents();
        int min = floor(properties);
        this.limiter = SimpleLimiter.newBuilder()
                .named("gateway-events")
                .nanoClock(nanoClock)
                .limit(new OutcomeRateLimit(properties.admissionInitialLimit(), min, max,
                        properties.admissionTargetLatency().toNanos()))
                .build();
        this.shed = Counter.builder(SHED_METRIC)
                .description("Events refused with backpressure because the node had too many in flight")
                .register(meters);
        this.outcome = Timer.builder(OUTCOME_METRIC)
                .description("Time from admitting an event to its outcome arriving at this node (server-side send to ack)")
                .publishPercentiles(0.5, 0.99, 0.999)
                .register(meters);
        Gauge.builder("pocketbridge.gateway.events.inflight", limiter, SimpleLimiter::getInflight)
                .description("Events of this node's sessions awaiting their outcome").register(meters);
        Gauge.builder("pocketbridge.gateway.events.admission_limit", limiter, SimpleLimiter::getLimit)
                .description("How many events this node admits at once (adaptive)").register(meters);
    }

    /**
     * The lowest the limit goes: {@code admission-min-limit}, but never below one session's window
     * ({@code max-inflight-events}, which server-info promises every device), so a lone device on a
     * quiet node can always have its whole window in flight; and never above the node's ceiling.
     */
    static int floor(SessionProperties properties) {
        return Math.min(properties.maxNodeInflightEvents(),
                Math.max(properties.admissionMinLimit(), properties.maxInflightEvents()));
    }

    /**
     * Takes a slot for one event, or empty (counted as shed) when the node is full. The caller ends
     * the slot exactly once: {@code onSuccess} when the outcome arrived, {@code onDropped} when it
     * never will (timed out, not produced), {@code onIgnore} when the session ended first.
     */
    Optional<Limiter.Listener> tryAdmit() {
        Optional<Limiter.Listener> slot = limiter.acquire(null);
        if (slot.isEmpty()) {
            shed.increment();
            return slot;
        }
        return Optional.of(new Timed(slot.get(), nanoClock.getAsLong()));
    }

    /** A slot that also times the event's way to its outcome. */
    private final class Timed implements Limiter.Listener {

        private final Limiter.Listener slot;
        private final long admittedAt;

        Timed(Limiter.Listener slot, long admittedAt) {
            this.slot = slot;
            this.admittedAt = admittedAt;
        }

        @Override
        public void onSuccess() {
            outcome.record(nanoClock.getAsLong() - admittedAt, TimeUnit.NANOSECONDS);
            slot.onSuccess();
        }

        @Override
        public void onIgnore() {
            slot.onIgnore();
        }

        @Override
        public void onDropped() {
            slot.onDropped();
        }
    }

    int inflight() {
        return limiter.getInflight();
    }

    int limit() {
        return limiter.getLimit();
    }
}
