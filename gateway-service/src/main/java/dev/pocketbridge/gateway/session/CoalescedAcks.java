package dev.pocketbridge.gateway.session;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A session's {@code ack}s on their way to {@code acks}. Acks are cumulative, so the newest one
 * says all that the ones before it did: the first ack after a write starts a timer of
 * {@code ack-flush-interval}, and when it fires only the highest seq received meanwhile is written.
 */
final class CoalescedAcks {

    private final Duration interval;
    private final Scheduler timers;
    private final LongConsumer write;
    /** The newest cumulative ack not yet written; -1 when there is none. */
    private final AtomicLong unsent = new AtomicLong(-1);
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile Disposable timer;
    private volatile boolean finished;

    /**
     * @param interval how long acks are gathered before one is written
     * @param timers   where that timer runs
     * @param write    writes one cumulative ack (its seq)
     */
    CoalescedAcks(Duration interval, Scheduler timers, LongConsumer write) {
        this.interval = interval;
        this.timers = timers;
        this.write = write;
    }

    /** Takes an ack of every seq up to {@code seq} (an older one than a pending one changes nothing); none after {@link #finish}. */
    void ack(long seq) {
        if (finished) {
            return;
        }
        unsent.accumulateAndGet(seq, Math::max);
        if (flushScheduled.compareAndSet(false, true)) {
            timer = Mono.delay(interval, timers).subscribe(t -> {
                flushScheduled.set(false);
                flush();
            });
        }
    }

    /** Writes the newest ack not yet written, if there is one. */
    void flush() {
        long seq = unsent.getAndSet(-1);
        if (seq >= 0) {
            write.accept(seq);
        }
    }

    /** Forgets the ack not yet written: it is never written. */
    void discard() {
        unsent.set(-1);
    }

    /** The session ended: no timer fires any more, and the newest ack (the cursor a reconnect starts from) is written now. */
    void finish() {
        finished = true;
        Disposable scheduled = timer;
        if (scheduled != null) {
            scheduled.dispose();
        }
        flush();
    }
}
