package dev.pocketbridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The bare path: what the event path's components alone cost on this machine, at the rates W1 and
 * W2 ask for. Devices on the JDK's WebSocket client (device-client's) send events, open loop and
 * round robin, through {@link BarePipeline}: Reactor Netty, three Kafka hops on the system's broker
 * and a batched INSERT + COMMIT on its PostgreSQL, with the system's client settings or batching
 * more, and nothing of the services. Every event is timed from when it was due to its ack and to each delivery; the
 * CPU of this JVM (devices and pipeline), the broker and PostgreSQL is read from {@code /proc}.
 * A system built of these parts cannot do better on this machine than this does.
 */
final class BarePath {

    private static final Duration DRAIN = Duration.ofSeconds(10);
    /** Sender threads, as the bench's own. */
    private static final int SENDERS = 4;
    private static final String DATABASE = "pocketbridge_bench_bare";

    /** Where it runs and what its devices send. */
    record Settings(String kafka, String jdbcUrl, Properties jdbc, int users, int devicesPerUser, int payloadBytes) {
    }

    /** One rate on a pipeline of its own with {@code batching}: unmeasured for {@code warmup}, then measured for {@code measure}. */
    record Phase(int rate, BarePipeline.Batching batching, Duration warmup, Duration measure) {
    }

    private BarePath() {
    }

    /**
     * The bench's bare path: W1's rate, then the W2 rate that closes the issue, with the system's
     * settings, and that rate again batching more; on a scratch database with the event log's
     * {@code synchronous_commit}, created and dropped around it.
     */
    static Results.BarePath measure(Options o, long runId, SystemCpu cpu) {
        // --duration, within 1 to 20 s
        Duration measure = o.duration().compareTo(Duration.ofSeconds(20)) < 0 ? o.duration() : Duration.ofSeconds(20);
        measure = measure.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : measure;
        Duration warmup = Duration.ofSeconds(10);
        List<Phase> phases = new ArrayList<>();
        phases.add(new Phase(o.rate(), BarePipeline.Batching.SYSTEM, warmup, measure));
        if (o.rate() < Report.W2_TO_CLOSE) {
            phases.add(new Phase(Report.W2_TO_CLOSE, BarePipeline.Batching.SYSTEM, warmup, measure));
        }
        // as much batching as W2's 100 ms leaves room for
        phases.add(new Phase(Math.max(o.rate(), Report.W2_TO_CLOSE), BarePipeline.Batching.BATCHED, warmup, measure));
        String base = "jdbc:postgresql://" + o.postgres() + "/";
        Properties jdbc = Floor.postgresCredentials();
        jdbc.put("reWriteBatchedInserts", "true"); // as event-service
        String synchronousCommit = Floor.eventLogSynchronousCommit(base, jdbc);
        if (synchronousCommit != null) {
            jdbc.put("options", "-c synchronous_commit=" + synchronousCommit);
        }
        Settings settings = new Settings(o.kafka(), base + DATABASE, jdbc, o.users(), o.devicesPerUser(), o.payloadBytes());
        try (Connection admin = DriverManager.getConnection(base + "postgres", jdbc); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            s.execute("CREATE DATABASE " + DATABASE);
            try {
                return run(settings, phases, runId, cpu);
            } finally {
                s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            }
        } catch (SQLException e) {
            Console.warn("bare path: not measured: " + e.getMessage());
            return new Results.BarePath(o.users(), o.devicesPerUser(), o.payloadBytes(), List.of(), e.getMessage());
        }
    }

    /** Runs the phases in order, each on a pipeline and devices of its own. */
    static Results.BarePath run(Settings s, List<Phase> phases, long runId, SystemCpu cpu) {
        List<Results.BareRate> rates = new ArrayList<>();
        String error = null;
        Console.say(String.format(Locale.ROOT, "bare path: %d users × %d devices, %d-byte payloads, at %s/s", s.users(),
                s.devicesPerUser(), s.payloadBytes(), String.join(", ", phases.stream().map(p -> "%,d".formatted(p.rate())).toList())));
        try {
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                try (BarePipeline pipeline = new BarePipeline(s.kafka(), s.jdbcUrl(), s.jdbc(), Long.toHexString(runId) + "-" + i,
                        phase.batching(), s.users(), s.devicesPerUser()); Devices devices = new Devices(pipeline, s)) {
                    rates.add(devices.run(phase, cpu));
                }
            }
        } catch (Exception e) {
            Console.warn("bare path: " + e);
            error = String.valueOf(e);
        }
        return new Results.BarePath(s.users(), s.devicesPerUser(), s.payloadBytes(), rates, error);
    }

    /** The devices of one rate: one WebSocket each, taking turns over one HTTP client per core, as the bench's. */
    private static final class Devices implements AutoCloseable {
        private final Settings settings;
        private final List<Device> devices = new ArrayList<>();
        private final List<HttpClient> clients = new ArrayList<>();
        private final String payload;
        private final Histogram ack = new ConcurrentHistogram(3);
        private final Histogram delivery = new ConcurrentHistogram(3);
        /** From when an event was due to when its device was handed it. */
        private final Histogram sendLag = new ConcurrentHistogram(3);
        private final LongAdder acked = new LongAdder();
        private final LongAdder delivered = new LongAdder();
        /** Events due in [from, to) are measured; nothing else is counted. */
        private volatile long from = Long.MAX_VALUE;
        private volatile long to = Long.MAX_VALUE;

        /** Connects every device and waits until the server knows them all; closes what it opened if that fails. */
        Devices(BarePipeline pipeline, Settings settings) throws Exception {
            this.settings = settings;
            byte[] random = new byte[settings.payloadBytes()];
            ThreadLocalRandom.current().nextBytes(random);
            this.payload = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            ack.setAutoResize(true);
            delivery.setAutoResize(true);
            sendLag.setAutoResize(true);
            try {
                for (int i = 0; i < Connector.RECEIVING_CLIENTS; i++) {
                    clients.add(HttpClient.newBuilder().executor(Runnable::run).build());
                }
                URI uri = URI.create(pipeline.uri());
                for (int u = 0; u < settings.users(); u++) {
                    for (int d = 0; d < settings.devicesPerUser(); d++) {
                        WebSocket ws = clients.get(devices.size() % clients.size()).newWebSocketBuilder()
                                .buildAsync(uri, new Receiver()).get(30, TimeUnit.SECONDS);
                        Device device = new Device(ws, u + "|" + d + "|");
                        device.send(u + " " + d);
                        devices.add(device);
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (pipeline.registered() < devices.size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + pipeline.registered() + " of " + devices.size()
                                + " bare sessions registered");
                    }
                    Parallel.sleep(20);
                }
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }

        Results.BareRate run(Phase phase, SystemCpu cpu) throws InterruptedException {
            long interval = TimeUnit.SECONDS.toNanos(1) / phase.rate();
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long warm = phase.rate() * phase.warmup().toMillis() / 1000;
            long total = warm + phase.rate() * phase.measure().toMillis() / 1000;
            from = start + warm * interval;
            to = start + total * interval;
            Console.say(String.format(Locale.ROOT, "bare path: %,d/s for %s after %s, with %s", phase.rate(),
                    Durations.format(phase.measure()), Durations.format(phase.warmup()), phase.batching().name()));
            int count = Math.min(SENDERS, settings.users());
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int sender = i;
                senders.add(Thread.ofPlatform().daemon().name("bare-sender-" + i)
                        .start(() -> sendLoop(sender, count, start, interval, total)));
            }
            Parallel.parkUntil(from);
            long cpuBefore = LoadEngine.processCpuNanos();
            SystemCpu.Snapshot systemBefore = cpu.snapshot();
            for (Thread t : senders) {
                t.join();
            }
            long sent = total - warm;
            long expected = sent * (settings.devicesPerUser() - 1);
            long drainEnd = System.nanoTime() + DRAIN.toNanos();
            while ((acked.sum() < sent || delivered.sum() < expected) && System.nanoTime() < drainEnd) {
                Parallel.sleep(20);
            }
            double benchSeconds = (LoadEngine.processCpuNanos() - cpuBefore) / 1e9;
            Results.Cpu used = cpu.between(systemBefore, cpu.snapshot());
            Results.BareRate r = new Results.BareRate(phase.rate(), phase.batching().name(), phase.measure().toMillis() / 1000.0, sent, acked.sum(),
                    delivered.sum(), expected, LatencySummary.of(ack), LatencySummary.of(delivery), LatencySummary.of(sendLag),
                    LoadEngine.round1(benchSeconds), used);
            Console.say(String.format(Locale.ROOT, "bare path: %,d/s: acked %d of %d, delivered %d of %d; ack p50 %s p99 %s,"
                    + " delivery p99 %s, send lag p99 %s; this JVM %.2f cores", phase.rate(), r.acked(), sent, r.delivered(),
                    expected, LoadEngine.ms(r.ack().p50Ms()), LoadEngine.ms(r.ack().p99Ms()), LoadEngine.ms(r.delivery().p99Ms()),
                    LoadEngine.ms(r.sendLag().p99Ms()),
                    benchSeconds / (used == null ? phase.measure().toMillis() / 1000.0 : used.seconds())));
            return r;
        }

        /**
         * One sender's share of the schedule, as the bench's own ({@link LoadEngine}): event n is user
         * n mod users's (device (n / users) mod devices), due at {@code start + n × interval}; this
         * sender owns the users u with u mod senders = its index.
         */
        private void sendLoop(int sender, int senders, long start, long interval, long total) {
            int users = settings.users();
            int perUser = settings.devicesPerUser();
            for (long n = 0; n < total; n++) {
                int user = (int) (n % users);
                if (user % senders != sender) {
                    continue;
                }
                long due = start + n * interval;
                Parallel.parkUntil(due);
                Device device = devices.get(user * perUser + (int) ((n / users) % perUser));
                if (due >= from) {
                    LatencySummary.record(sendLag, System.nanoTime() - due);
                }
                device.send(due + "|" + device.prefix + payload);
            }
        }

        /** A frame the server sent: an ack ({@code A<nanos>}) or a delivery ({@code <nanos>|...}). */
        private void received(CharSequence frame, long now) {
            boolean isAck = frame.charAt(0) == 'A';
            int end = isAck ? frame.length() : indexOf(frame, '|');
            long due = Long.parseLong(frame, isAck ? 1 : 0, end, 10);
            if (due < from || due >= to) {
                return;
            }
            if (isAck) {
                acked.increment();
                LatencySummary.record(ack, now - due);
            } else {
                delivered.increment();
                LatencySummary.record(delivery, now - due);
            }
        }

        private static int indexOf(CharSequence s, char c) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == c) {
                    return i;
                }
            }
            return s.length();
        }

        /** What one device receives, a message at a time (the JDK may hand a message over in parts). */
        private final class Receiver implements WebSocket.Listener {
            private final StringBuilder parts = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                long now = System.nanoTime();
                if (parts.isEmpty() && last) {
                    received(data, now);
                } else {
                    parts.append(data);
                    if (last) {
                        received(parts, now);
                        parts.setLength(0);
                    }
                }
                ws.request(1);
                return null;
            }
        }

        @Override
        public void close() {
            for (Device d : devices) {
                d.ws.abort();
            }
            clients.forEach(HttpClient::shutdownNow);
        }
    }

    /** One device's socket; the JDK's WebSocket takes one send at a time, so its sends are chained. */
    private static final class Device {
        private final WebSocket ws;
        private final String prefix;
        private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

        Device(WebSocket ws, String prefix) {
            this.ws = ws;
            this.prefix = prefix;
        }

        synchronized void send(String text) {
            last = last.thenCompose(x -> ws.sendText(text, true)).exceptionally(e -> null);
        }
    }
}
