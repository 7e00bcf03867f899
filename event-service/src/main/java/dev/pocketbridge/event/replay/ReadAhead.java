package dev.pocketbridge.event.replay;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pocketbridge.event.log.LogPages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The page after one with more to come, read from the log while that one is written out and
 * carried to the device: a device that catches up asks for it next (the gateway even before the
 * device does), and its answer then waits only for what is left of the read. Reading a page is
 * PostgreSQL's work and pgjdbc's, writing one is the CBOR or JSON encoder's and the socket's; one
 * after the other they were the whole time of a catch-up's page, side by side they take the two
 * halves at once (docs/performance.md, "Catch-up: the next page read ahead").
 *
 * <p>A page read ahead answers exactly the request it was read for (same user, {@code after},
 * limit) once, and only for {@code read-ahead-max-age} after its read began; later, it is dropped
 * and the request reads the log itself, so an answer is never much older than its request, as if
 * it had come back late. At most {@code read-ahead-pages} pages are being read or held at a time
 * across all users (each at most {@code max-page-bytes} of payload); beyond that no page is read
 * ahead. A user's erasure drops the pages read for it. A read that fails is dropped too: the
 * request reads the log itself and answers its own error.
 */
public final class ReadAhead implements AutoCloseable {

    /** Counter of pages read ahead, tagged {@code outcome}: {@code taken}, {@code dropped} or {@code skipped}. */
    static final String METRIC = "pocketbridge.replay.read_ahead";

    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);

    /** Which page: the events after {@code after}, at most {@code limit}. */
    record Key(UUID userId, long after, int limit) {
    }

    /**
     * A page being read or read. It counts against {@code read-ahead-pages} until it has left the map and
     * its read has ended, whichever comes last: a page dropped while still being read still takes
     * its thread and its memory.
     */
    private final class Ahead {

        final CompletableFuture<LogPages.Page> page = new CompletableFuture<>();
        final long startedNanos = nanoTime.getAsLong();
        /** The map's and the read's. */
        private final AtomicInteger claims = new AtomicInteger(2);

        void release() {
            if (claims.decrementAndGet() == 0) {
                held.decrementAndGet();
            }
        }
    }

    private final Map<Key, Ahead> pages = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final int maxPages;
    private final long maxAgeNanos;
    private final Function<Key, LogPages.Page> read;
    private final LongSupplier nanoTime;
    private final ThreadPoolExecutor readers;
    private final Counter taken;
    private final Counter dropped;
    private final Counter skipped;

    /**
     * @param maxPages pages read or held at most at a time; 0 reads none ahead
     * @param maxAge   how long after its read began a page may still answer
     * @param read     reads a page of the log, as a request would
     * @param nanoTime the clock of {@code maxAge} ({@link System#nanoTime()} but in tests)
     */
    ReadAhead(int maxPages, Duration maxAge, Function<Key, LogPages.Page> read, LongSupplier nanoTime,
            MeterRegistry meters) {
        this.maxPages = maxPages;
        this.maxAgeNanos = maxAge.toNanos();
        this.read = read;
        this.nanoTime = nanoTime;
        AtomicInteger threads = new AtomicInteger();
        // One thread per page at most, so a read never waits for another; idle threads end.
        this.readers = new ThreadPoolExecutor(Math.max(1, maxPages), Math.max(1, maxPages), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "replay-read-ahead-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.readers.allowCoreThreadTimeOut(true);
        this.taken = outcome(meters, "taken");
        this.dropped = outcome(meters, "dropped");
        this.skipped = outcome(meters, "skipped");
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder(METRIC).tag("outcome", outcome).description("replay pages read ahead: taken (a request "
                + "was answered with it), dropped (not asked for within read-ahead-max-age, its user erased, or its "
                + "read failed), skipped (not read: read-ahead-pages were being read or held)").register(meters);
    }

    /**
     * The page: the one read ahead for it, else read now; when more follow it, the next page (of
     * the same limit) is read ahead.
     */
    LogPages.Page page(Key key) {
        LogPages.Page page = take(key).orElseGet(() -> read.apply(key));
        if (page.hasMore()) {
            start(new Key(key.userId(), page.throughSeq(), key.limit()));
        }
        return page;
    }

    /**
     * Starts reading the page, unless it is already being read or held, or {@code read-ahead-pages}
     * are; pages held past {@code read-ahead-max-age} are dropped first.
     */
    void start(Key key) {
        if (maxPages == 0) {
            return;
        }
        dropExpired();
        if (held.incrementAndGet() > maxPages) {
            held.decrementAndGet();
            skipped.increment();
            return;
        }
        Ahead ahead = new Ahead();
        if (pages.putIfAbsent(key, ahead) != null) {
            held.decrementAndGet();
            return;
        }
        try {
            readers.execute(() -> {
                try {
                    ahead.page.complete(read.apply(key));
                } catch (RuntimeException e) {
                    log.debug("reading a replay page ahead failed; its request reads it itself", e);
                    ahead.page.completeExceptionally(e);
                    drop(key, ahead);
                } finally {
                    ahead.release();
                }
            });
        } catch (RejectedExecutionException e) { // closed
            drop(key, ahead);
            ahead.release();
        }
    }

    /**
     * The page read ahead for exactly this request, if its read began at most
     * {@code read-ahead-max-age} ago; waits for the read to end. Given out once.
     */
    Optional<LogPages.Page> take(Key key) {
        Ahead ahead = pages.remove(key);
        if (ahead == null) {
            return Optional.empty();
        }
        ahead.release();
        if (expired(ahead)) {
            dropped.increment();
            return Optional.empty();
        }
        try {
            LogPages.Page page = ahead.page.join();
            taken.increment();
            return Optional.of(page);
        } catch (RuntimeException e) { // its read failed
            dropped.increment();
            return Optional.empty();
        }
    }

    /** Drops every page read ahead for the user: it is being erased. */
    public void forget(UUID userId) {
        pages.forEach((key, ahead) -> {
            if (key.userId().equals(userId)) {
                drop(key, ahead);
            }
        });
    }

    @Override
    public void close() {
        readers.shutdownNow();
        pages.forEach(this::drop);
    }

    private void dropExpired() {
        pages.forEach((key, ahead) -> {
            if (expired(ahead)) {
                drop(key, ahead);
            }
        });
    }

    private boolean expired(Ahead ahead) {
        return nanoTime.getAsLong() - ahead.startedNanos > maxAgeNanos;
    }

    private void drop(Key key, Ahead ahead) {
        if (pages.remove(key, ahead)) {
            ahead.release();
            dropped.increment();
        }
    }
}
