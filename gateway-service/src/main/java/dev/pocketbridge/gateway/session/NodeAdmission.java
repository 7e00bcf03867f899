package dev.pocketbridge.gateway.session;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Admission control of this gateway node: at most {@code max-node-inflight-events} events of all
 * its sessions await their outcome at once. Above that an event is refused at once with
 * {@code backpressure}, before it costs Kafka, the event log or the relay anything, so overload
 * sheds early and visibly, the backlog stays bounded, and admitted events keep a short ack time.
 */
@Component
class NodeAdmission {

    static final String SHED_METRIC = "pocketbridge.gateway.events.shed";

    private final int max;
    private final AtomicInteger inflight = new AtomicInteger();
    private final Counter shed;

    NodeAdmission(SessionProperties properties, MeterRegistry meters) {
        this.max = properties.maxNodeInflightEvents();
        this.shed = Counter.builder(SHED_METRIC)
                .description("Events refused with backpressure because the node had too many in flight")
                .register(meters);
        Gauge.builder("pocketbridge.gateway.events.inflight", inflight, AtomicInteger::get)
                .description("Events of this node's sessions awaiting their outcome").register(meters);
    }

    /** Takes a slot for one event; false (and counted as shed) when the node is full. */
    boolean tryAdmit() {
        int current;
        do {
            current = inflight.get();
            if (current >= max) {
                shed.increment();
                return false;
            }
        } while (!inflight.compareAndSet(current, current + 1));
        return true;
    }

    /** Gives back the slot of an event whose outcome arrived, timed out or will never come. */
    void release() {
        inflight.decrementAndGet();
    }

    int inflight() {
        return inflight.get();
    }
}
