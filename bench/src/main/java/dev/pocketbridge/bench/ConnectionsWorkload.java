package dev.pocketbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;

/**
 * W3: as many authenticated idle sessions against one gateway as asked, opened as fast as a
 * bounded number of concurrent handshakes allows; handshakes per second, handshake times, and
 * the gateway's memory per session (RSS and live heap before and after, divided by sessions; the
 * heap's baseline is also read once the sessions have closed, see {@link #heapBaseline}).
 */
final class ConnectionsWorkload {

    private static final long LIMIT_NANOS = TimeUnit.MINUTES.toNanos(15);

    private ConnectionsWorkload() {
    }

    static Results.Connections run(List<DeviceIdentity> identities, Connector connector, int concurrency,
            GatewayProbe probe) {
        int target = identities.size();
        String note = null;
        long fdLimit = openFileLimit();
        if (fdLimit > 0 && fdLimit < target + 1000L) {
            note = "this process may open " + fdLimit + " files and the gateway needs one descriptor per session too:"
                    + " raise the hard limit (ulimit -Hn) to measure " + target + " sessions";
            Console.warn(note);
        }
        if (probe.pid() == null) {
            String missing = "the gateway's process was not found (pass --gateway-pid): no RSS figures";
            Console.warn(missing);
            note = note == null ? missing : note + "; " + missing;
        }
        Console.say("W3: measuring the gateway's memory before");
        Results.Memory before = probe.measure();
        Histogram handshakes = LatencySummary.newHistogram();
        ConcurrentLinkedQueue<DeviceSession> open = new ConcurrentLinkedQueue<>();
        AtomicLong opened = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long t0 = System.nanoTime();
        Thread ticker = Thread.ofPlatform().daemon().name("w3-progress").start(() -> {
            long last = 0;
            try {
                while (true) {
                    Thread.sleep(1000);
                    long n = opened.get();
                    Histogram h;
                    synchronized (handshakes) {
                        h = handshakes.copy();
                    }
                    Console.progress("W3", String.format(Locale.ROOT, "%3ds  open %d/%d  %d handshakes/s  failed %d  p99 handshake %s",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), n, target, n - last, failed.get(),
                            h.getTotalCount() == 0 ? "-" : Durations.ms(h.getValueAtPercentile(99))));
                    last = n;
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        try {
            Parallel.forEach("w3", target, concurrency, t0 + LIMIT_NANOS, i -> {
                DeviceSession s = connector.connect(identities.get(i), 3, nanos -> {
                    synchronized (handshakes) {
                        LatencySummary.record(handshakes, nanos);
                    }
                });
                if (s == null) {
                    failed.incrementAndGet();
                } else {
                    open.add(s);
                    opened.incrementAndGet();
                }
            });
        } finally {
            ticker.interrupt();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Parallel.sleep(2000);
        long stillOpen = open.stream().filter(s -> !s.isClosed()).count();
        Console.say("W3: " + stillOpen + " sessions open; measuring the gateway's memory after");
        Results.Memory after = probe.measure();
        System.gc(); // the bench's own live heap with every session open, to size its -Xmx
        Runtime rt = Runtime.getRuntime();
        long clientHeap = rt.totalMemory() - rt.freeMemory();

        Console.say("W3: closing " + open.size() + " sessions");
        List<DeviceSession> all = new ArrayList<>(open);
        Parallel.forEach("w3-close", all.size(), concurrency, System.nanoTime() + TimeUnit.MINUTES.toNanos(5),
                i -> all.get(i).close());
        Parallel.sleep(2000);
        Console.say("W3: measuring the gateway's memory with the sessions closed");
        Results.Memory closed = probe.measure();

        Double rssPer = perSession(before.rssBytes(), after.rssBytes(), stillOpen);
        Double heapPer = perSession(heapBaseline(before.heapUsedBytes(), closed.heapUsedBytes()), after.heapUsedBytes(),
                stillOpen);
        double rate = opened.get() / seconds;
        Console.say(String.format(Locale.ROOT, "W3: %d sessions in %.1f s (%.0f handshakes/s), %s RSS and %s heap per session",
                opened.get(), seconds, rate, rssPer == null ? "?" : Math.round(rssPer / 1024.0) + " KiB",
                heapPer == null ? "?" : Math.round(heapPer / 1024.0) + " KiB"));
        return new Results.Connections(target, concurrency, opened.get(), failed.get(), connector.failureCounts(),
                LoadEngine.round1(seconds), LoadEngine.round1(rate), LatencySummary.of(handshakes), stillOpen, before,
                after, closed, rssPer, heapPer, probe.heapMax(), note, clientHeap);
    }

    /** The most devices {@link #warmUp} cycles through: the rest of W3's are still unknown to the gateway when W3 measures. */
    static final int WARMUP_DEVICES = 300;

    /**
     * Handshakes of the first {@link #WARMUP_DEVICES} of {@code identities}, each session closed at
     * once, for {@code duration}, unmeasured: the services compile the handshake path (the JIT took
     * about half of their CPU in a W3 on a just-started system) before W3 measures it.
     *
     * @return the handshakes made
     */
    static long warmUp(List<DeviceIdentity> identities, Connector connector, int concurrency, Duration duration) {
        List<DeviceIdentity> warmers = identities.subList(0, Math.min(WARMUP_DEVICES, identities.size()));
        if (warmers.isEmpty() || duration.isZero()) {
            return 0;
        }
        AtomicLong made = new AtomicLong();
        long t0 = System.nanoTime();
        Console.say("W3: warming up the handshake path for " + Durations.format(duration) + " with "
                + warmers.size() + " devices, unmeasured");
        Parallel.forEach("w3-warmup", Integer.MAX_VALUE, Math.min(concurrency, warmers.size()), t0 + duration.toNanos(),
                i -> {
                    DeviceSession s = connector.connect(warmers.get(i % warmers.size()), 1, nanos -> {
                    });
                    if (s != null) {
                        s.close();
                        made.incrementAndGet();
                    }
                });
        Console.say(String.format(Locale.ROOT, "W3: warm-up made %d handshakes (%.0f/s)", made.get(),
                made.get() / ((System.nanoTime() - t0) / 1e9)));
        return made.get();
    }

    /**
     * The live heap the sessions are measured against: the lower of the readings before they opened
     * and after they closed. Something the workloads before W3 still held when it began (a full run's
     * W1 and W2) can be let go while the sessions are open, and would hide that much of their heap;
     * a full run measured 9 KiB per session that way, where a system that had run only W3 measured 16.
     */
    static Long heapBaseline(Long before, Long closed) {
        if (before == null || closed == null) {
            return before;
        }
        return Math.min(before, closed);
    }

    static Double perSession(Long before, Long after, long sessions) {
        if (before == null || after == null || sessions <= 0) {
            return null;
        }
        return LoadEngine.round1((after - before) / (double) sessions);
    }

    /** The soft limit of open files of this process, or -1. */
    static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    return parts[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(parts[0]);
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
