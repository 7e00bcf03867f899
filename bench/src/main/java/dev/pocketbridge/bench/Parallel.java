package dev.pocketbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/** Runs {@code n} tasks with at most {@code concurrency} at a time, on platform threads. */
final class Parallel {

    private Parallel() {
    }

    /**
     * Runs {@code task(0..n-1)}; returns when all ran or {@code deadlineNanos} passed (tasks not
     * yet started are then skipped). The first exception of a task is rethrown at the end.
     */
    static void forEach(String name, int n, int concurrency, long deadlineNanos, IntConsumer task) {
        if (n == 0) {
            return;
        }
        int threads = Math.max(1, Math.min(concurrency, n));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    int index;
                    while ((index = next.getAndIncrement()) < n && System.nanoTime() < deadlineNanos) {
                        task.accept(index);
                    }
                    return null;
                }));
            }
            RuntimeException failure = null;
            for (Future<?> f : futures) {
                try {
                    long wait = Math.max(1, deadlineNanos - System.nanoTime()) + TimeUnit.SECONDS.toNanos(60);
                    f.get(wait, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    if (failure == null) {
                        failure = new IllegalStateException(name + ": tasks still running long after the deadline");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Parks the calling thread until {@link System#nanoTime()} reaches {@code nanos}. */
    static void parkUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
