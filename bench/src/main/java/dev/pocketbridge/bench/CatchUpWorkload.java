package dev.pocketbridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.PocketBridgeApi;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * W4: a fresh user's second device is offline while the first sends N events as fast as acks
 * allow (pipelined up to the server's {@code max_inflight_events}; {@code backpressure} waits
 * {@code retry_after_ms} and resends, {@code unavailable} resends the same frame); then the
 * offline device connects and replays everything in pages of 1000, {@link #CATCH_UPS} times one
 * after the other, the median being the figure; each time it must get exactly seq 1..N, in order,
 * each event once. With a warm-up, the offline device first replays the whole log again and again
 * for the warm-up's length, unmeasured, on connections of its own ({@link #WARM_UP_CONNECTIONS}), so
 * its path (a new connection, the handshake, the replay, the bench's own decoding and checking of
 * pages) is compiled in every JVM before it is timed, as W1 and W3 warm up theirs: here it takes
 * 20–30 passes over 100,000 events before a catch-up runs at the rate of a long-running system, and
 * a warm-up on another connection left the first catch-ups on a new one slower. The first pass's
 * rate, that of a cold path, is reported with it.
 */
final class CatchUpWorkload {

    private static final long SEND_LIMIT = TimeUnit.MINUTES.toNanos(15);
    private static final long REPLAY_LIMIT = TimeUnit.MINUTES.toNanos(5);
    private static final int PAGE = 1000;
    /** Catch-ups of the offline device, one after the other: a single one varies by a third here. */
    static final int CATCH_UPS = 5;
    /**
     * Connections the warm-up opens at most, each for an equal share of it: with the measured catch-ups'
     * five, under the gateway's default handshake limit per client address (30 a minute, burst 30), so a
     * W4 against a system running with its default limits ({@code --server}) is not refused.
     */
    static final int WARM_UP_CONNECTIONS = 20;

    private CatchUpWorkload() {
    }

    private record Retry(int number, ClientFrame.SendEvent frame, long readyAt) {
    }

    static Results.CatchUp run(PocketBridgeApi api, Connector connector, int n, int maxInflight, long runId,
            int payloadBytes, Duration warmUp) {
        Violations violations = new Violations();
        Console.say("W4: registering a fresh user with two devices");
        DeviceIdentity sender = Registrar.retry(() -> Device.registerNewUser(api, "bench-w4-sender", Registrar.DEVICE_TYPE));
        String token = Registrar.retry(() -> Device.tokens(api, sender)).accessToken();
        DeviceIdentity offline = Registrar.retry(() -> {
            PocketBridgeApi.Pairing pairing = api.createPairing(token, Base64Url.encode(new byte[32]));
            return Device.registerWithPairing(api, pairing.code(), "bench-w4-offline", Registrar.DEVICE_TYPE);
        });
        UUID userId = UUID.fromString(sender.userId());

        DeviceSession session = connector.connect(sender, 3, nanos -> { });
        if (session == null) {
            throw new IllegalStateException("W4: the sending device could not connect: " + connector.failureSummary());
        }
        Semaphore permits = new Semaphore(maxInflight);
        Map<String, Integer> inflight = new ConcurrentHashMap<>();
        Map<String, ClientFrame.SendEvent> frames = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Retry> retries = new ConcurrentLinkedQueue<>();
        BitSet ackedNumbers = new BitSet(n);
        AtomicLong acked = new AtomicLong();
        LongAdder backpressure = new LongAdder();
        LongAdder resent = new LongAdder();
        Map<String, LongAdder> rejectedByCode = new ConcurrentHashMap<>();

        // The outcomes are counted as the client decodes them; sending stays on this thread.
        session.handleFrames(frame -> {
            if (frame instanceof ServerFrame.EventAck ack) {
                Integer number = inflight.remove(ack.eventId());
                frames.remove(ack.eventId());
                if (number != null) {
                    synchronized (ackedNumbers) {
                        if (!ackedNumbers.get(number)) {
                            ackedNumbers.set(number);
                            acked.incrementAndGet();
                        }
                    }
                    permits.release();
                }
            } else if (frame instanceof ServerFrame.EventRejected r) {
                Integer number = inflight.remove(r.eventId());
                ClientFrame.SendEvent sent = frames.remove(r.eventId());
                if (number == null) {
                    return;
                }
                String code = String.valueOf(r.code());
                rejectedByCode.computeIfAbsent(code, k -> new LongAdder()).increment();
                long delay = TimeUnit.MILLISECONDS.toNanos(r.retryAfterMs() == null ? 100 : r.retryAfterMs());
                if (Ledger.BACKPRESSURE.equals(code)) {
                    backpressure.increment();
                }
                // unavailable: the same frame again (a stored one answers duplicate); otherwise a new event
                retries.add(new Retry(number, Ledger.UNAVAILABLE.equals(code) ? sent : null, System.nanoTime() + delay));
                permits.release();
            }
        });

        Console.say("W4: sending " + n + " events (up to " + maxInflight + " awaiting their ack)");
        long t0 = System.nanoTime();
        long deadline = t0 + SEND_LIMIT;
        int nextNumber = 0;
        Thread ticker = Thread.ofPlatform().daemon().name("w4-progress").start(() -> {
            long last = 0;
            try {
                while (true) {
                    Thread.sleep(1000);
                    long a = acked.get();
                    Console.progress("W4", String.format(Locale.ROOT, "%3ds  acked %d/%d  %d/s  backpressure %d",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), a, n, a - last, backpressure.sum()));
                    last = a;
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        try {
            while (acked.get() < n && System.nanoTime() < deadline && !session.isClosed()) {
                if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                Retry retry = retries.peek();
                ClientFrame.SendEvent frame;
                int number;
                if (retry != null && retry.readyAt() <= System.nanoTime()) {
                    retries.poll();
                    number = retry.number();
                    frame = retry.frame() != null ? retry.frame()
                            : session.newEvent(LoadEngine.STREAM, "bench.w4",
                                    Payloads.make(payloadBytes, userId, runId, number));
                    resent.increment();
                } else if (nextNumber < n) {
                    number = nextNumber++;
                    frame = session.newEvent(LoadEngine.STREAM, "bench.w4", Payloads.make(payloadBytes, userId, runId, number));
                } else {
                    permits.release();
                    Thread.sleep(5);
                    continue;
                }
                inflight.put(frame.eventId(), number);
                frames.put(frame.eventId(), frame);
                try {
                    session.send(frame);
                } catch (RuntimeException e) {
                    break; // the session closed: reported below
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            ticker.interrupt();
            session.handleFrames(null);
        }
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        long stored = acked.get();
        String note = null;
        if (stored < n) {
            note = "only " + stored + " of " + n + " events were acked"
                    + (session.isClosed() ? " (the session closed with " + session.closeCode() + ")"
                            : " within " + TimeUnit.NANOSECONDS.toMinutes(SEND_LIMIT) + " min");
            violations.add(Violations.CATCH_UP, note);
        }
        session.close();
        Console.say(String.format(Locale.ROOT, "W4: %d events stored in %.1f s (%.0f/s); the offline device catches up",
                stored, sendSeconds, stored / sendSeconds));
        Results.WarmUp warmedUp = !warmUp.isZero() && stored > 0 && violations.isEmpty()
                ? warmUp(connector, offline, warmUp, () -> new PageReader(n, userId, runId, violations), violations, stored)
                : null;

        // catch-ups: connect and replay from the beginning, CATCH_UPS times; the median is the figure
        List<CatchUpRun> runs = new ArrayList<>();
        for (int i = 0; i < CATCH_UPS; i++) {
            CatchUpRun run = catchUp(connector, offline, new PageReader(n, userId, runId, violations), stored);
            runs.add(run);
            Console.say(String.format(Locale.ROOT, "W4: catch-up %d of %d: %d events in %.2f s (%.0f events/s; handshake"
                    + " %.0f ms, %d pages in %.2f s; then closed in %.0f ms)", i + 1, CATCH_UPS, run.read.events,
                    run.catchUpSeconds, run.rate(), run.handshakeNanos / 1e6, run.read.pages, run.replaySeconds,
                    run.closeNanos / 1e6));
        }
        CatchUpRun median = runs.stream().sorted(Comparator.comparingDouble(CatchUpRun::rate)).toList()
                .get(runs.size() / 2);
        Map<String, Long> rejected = new TreeMap<>();
        rejectedByCode.forEach((k, v) -> rejected.put(k, v.sum()));
        Console.say(String.format(Locale.ROOT, "W4: caught up at %.0f events/s (the median of %d); checks %s",
                median.rate(), runs.size(), violations.isEmpty() ? "passed" : "FAILED"));
        return new Results.CatchUp(n, maxInflight, LoadEngine.round1(sendSeconds), LoadEngine.round1(stored / sendSeconds),
                backpressure.sum(), rejected, resent.sum(), Durations.toMs(median.handshakeNanos),
                Math.round(median.replaySeconds * 1000) / 1000.0, Math.round(median.catchUpSeconds * 1000) / 1000.0,
                LoadEngine.round1(median.rate()), runs.stream().map(r -> LoadEngine.round1(r.rate())).toList(),
                median.read.pages, median.read.events, median.read.bytes, median.headSeq, warmedUp, violations.list(),
                violations.isEmpty(), note);
    }

    /** One catch-up of the offline device: its handshake, and the time from connecting to its last page. */
    private record CatchUpRun(PageReader read, long handshakeNanos, long headSeq, double replaySeconds,
            double catchUpSeconds, long closeNanos) {

        double rate() {
            return read.events / catchUpSeconds;
        }
    }

    /** The offline device connects and replays the whole log; {@code read} checks it is exactly seq 1..stored. */
    private static CatchUpRun catchUp(Connector connector, DeviceIdentity offline, PageReader read, long stored) {
        long c0 = System.nanoTime();
        long[] handshake = new long[1];
        DeviceSession catchUp = connect(connector, offline, nanos -> handshake[0] = nanos);
        long headSeq = catchUp.established().headSeq();
        long r0 = System.nanoTime();
        long replayDeadline = r0 + REPLAY_LIMIT;
        long c1;
        try {
            catchUp.replayPages(0L, PAGE, DeviceSession.REQUEST_TIMEOUT,
                    page -> read.page(page) && System.nanoTime() < replayDeadline);
            c1 = System.nanoTime(); // caught up: its last page read and checked; closing is not part of it
        } finally {
            catchUp.close();
        }
        long closed = System.nanoTime();
        read.checkAllOf(stored);
        return new CatchUpRun(read, handshake[0], headSeq, (c1 - r0) / 1e9, (c1 - c0) / 1e9, closed - c1);
    }

    private static DeviceSession connect(Connector connector, DeviceIdentity offline, LongConsumer handshakeNanos) {
        DeviceSession session = connector.connect(offline, 3, handshakeNanos);
        if (session == null) {
            throw new IllegalStateException("W4: the offline device could not connect: " + connector.failureSummary());
        }
        return session;
    }

    /**
     * The offline device replays the whole log again and again, on {@link #WARM_UP_CONNECTIONS}
     * connections of its own one after the other, each for an equal share of {@code length}, so the
     * path of the measured catch-ups (a new connection, its handshake, the replay) is compiled. Every
     * pass is whole and checked as a measured catch-up is (exactly seq 1..{@code stored}); the pass under
     * way when the time is up is finished. Unmeasured but for the first and last pass's replay rate; it
     * stops at the first pass that fails a check.
     */
    private static Results.WarmUp warmUp(Connector connector, DeviceIdentity offline, Duration length,
            Supplier<PageReader> readers, Violations violations, long stored) {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long share = length.toNanos() / WARM_UP_CONNECTIONS;
        long replayed = 0;
        int connections = 0;
        List<Double> passRates = new ArrayList<>();
        while (System.nanoTime() < end && violations.isEmpty()) {
            long connectionEnd = System.nanoTime() + share;
            DeviceSession session = connect(connector, offline, nanos -> { });
            connections++;
            try {
                do {
                    PageReader read = readers.get();
                    long p0 = System.nanoTime();
                    session.replayPages(0L, PAGE, DeviceSession.REQUEST_TIMEOUT, read::page);
                    passRates.add(LoadEngine.round1(read.events / ((System.nanoTime() - p0) / 1e9)));
                    read.checkAllOf(stored);
                    replayed += read.events;
                } while (System.nanoTime() < Math.min(end, connectionEnd) && violations.isEmpty());
            } finally {
                session.close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Results.WarmUp w = new Results.WarmUp(replayed, passRates.size(), connections, LoadEngine.round1(seconds),
                passRates.getFirst(), passRates.getLast());
        Console.say(String.format(Locale.ROOT, "W4: warm-up, unmeasured: the offline device replayed the log %d times"
                + " (%,d events) on %d connections in %.0f s, the first time at %.0f events/s, the last at %.0f",
                w.passes(), w.events(), w.connections(), seconds, w.firstPassRate(), w.lastPassRate()));
        return w;
    }

    /** Checks the catch-up's pages as they come: seq 1..N in order, each of this run's events once, none of another user. */
    private static final class PageReader {

        private final int n;
        private final UUID userId;
        private final long runId;
        private final Violations violations;
        private final BitSet seen;
        private long pages;
        private long events;
        private long bytes;
        private long expectedSeq = 1;

        PageReader(int n, UUID userId, long runId, Violations violations) {
            this.n = n;
            this.userId = userId;
            this.runId = runId;
            this.violations = violations;
            this.seen = new BitSet(n);
        }

        /** Reads one page; always true (the replay goes on to the log's end). */
        boolean page(ServerFrame.ReplayResponse page) {
            pages++;
            for (ServerFrame.DeliveredEvent e : page.events()) {
                events++;
                bytes += e.encryptedPayload() == null ? 0 : e.encryptedPayload().length();
                if (e.seq() != expectedSeq) {
                    violations.add(Violations.CATCH_UP, "expected seq " + expectedSeq + ", got " + e.seq());
                }
                expectedSeq = e.seq() + 1;
                Optional<Payloads.Marker> m = Payloads.read(e.encryptedPayload());
                if (m.isEmpty() || !m.get().userId().equals(userId)) {
                    violations.add(Violations.CROSS_USER, "W4 replay seq " + e.seq() + " carries "
                            + m.map(x -> "user " + x.userId()).orElse("no marker"));
                    continue;
                }
                long number = m.get().eventNumber();
                if (m.get().runId() != runId || number < 0 || number >= n) {
                    violations.add(Violations.CATCH_UP, "seq " + e.seq() + " is not one of this run's events");
                } else if (seen.get((int) number)) {
                    violations.add(Violations.CATCH_UP, "event #" + number + " replayed twice (seq " + e.seq() + ")");
                } else {
                    seen.set((int) number);
                }
            }
            return true;
        }

        /** Exactly seq 1..{@code stored} came, each of them once. */
        void checkAllOf(long stored) {
            if (events != stored || seen.cardinality() != stored || expectedSeq - 1 != stored) {
                violations.add(Violations.CATCH_UP, "replayed " + events + " events (" + seen.cardinality()
                        + " distinct, up to seq " + (expectedSeq - 1) + ") for " + stored + " stored");
            }
        }
    }
}
