package dev.pocketbridge.gateway.session;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The bytes of frames this node has queued for its sessions and the network has not taken yet
 * (the session's queue, Reactor's and Netty's buffers): each session has a {@link Budget} of
 * {@code outbound-buffer-bytes}, and the node's total is the gauge {@value #QUEUED_METRIC}.
 */
@Component
class OutboundLedger {

    static final String QUEUED_METRIC = "pocketbridge.gateway.ws.outbound.queued_bytes";

    private final AtomicLong total = new AtomicLong();

    OutboundLedger(MeterRegistry meters) {
        Gauge.builder(QUEUED_METRIC, total, AtomicLong::get)
                .description("Bytes of frames queued for this node's sessions and not yet written to the network")
                .baseUnit("bytes").register(meters);
    }

    /** A new session's budget of {@code maxBytes}. */
    Budget open(long maxBytes) {
        return new Budget(maxBytes);
    }

    /** Bytes queued by all sessions of this node. */
    long queuedBytes() {
        return total.get();
    }

    /** One session's share: reserved when a frame is queued, released once it is written or the session ends. */
    final class Budget {

        private final long max;
        private long queued;
        private boolean closed;

        private Budget(long max) {
            this.max = max;
        }

        /** Reserves {@code bytes}, or returns false (reserving nothing) when they would pass the budget. */
        synchronized boolean tryReserve(long bytes) {
            if (closed || queued + bytes > max) {
                return false;
            }
            queued += bytes;
            total.addAndGet(bytes);
            return true;
        }

        /** Gives back the bytes of a frame that was written, or failed to be. */
        synchronized void release(long bytes) {
            if (closed) {
                return;
            }
            long released = Math.min(bytes, queued);
            queued -= released;
            total.addAndGet(-released);
        }

        /** The session ended: whatever it still had queued is gone with it. */
        synchronized void close() {
            if (!closed) {
                closed = true;
                total.addAndGet(-queued);
                queued = 0;
            }
        }

        synchronized long queued() {
            return queued;
        }
    }
}
