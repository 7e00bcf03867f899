package dev.pocketbridge.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The bench command's settings. {@link #parse} reads {@code --name value} and {@code --name=value};
 * every value is checked here, so a bad one is a usage error before anything starts.
 */
public record Options(
        Path root,
        URI server,
        Set<Workload> workloads,
        int users,
        int devicesPerUser,
        int rate,
        int payloadBytes,
        Duration duration,
        Duration w2Duration,
        Duration w2Probe,
        int w3Sessions,
        int w3Concurrency,
        int w4Events,
        Duration overloadDuration,
        Path out,
        Long gatewayPid,
        String kafka,
        String postgres,
        int registerConcurrency,
        Duration warmup,
        FaultInjector.Fault inject) {

    /** The server's limit of active devices per user. */
    public static final int MAX_DEVICES_PER_USER = 5;
    /** The smallest payload: the marker every bench event carries (see {@link Payloads}). */
    public static final int MIN_PAYLOAD_BYTES = Payloads.MARKER_BYTES;
    /** The server's limit of a decoded payload. */
    public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

    public enum Workload {
        W1, W2, W3, W4, OVERLOAD, BARE;

        static Workload parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException("unknown workload '" + text + "' (W1, W2, W3, W4, overload, bare)");
            }
        }

        public String label() {
            return this == OVERLOAD || this == BARE ? name().toLowerCase(Locale.ROOT) : name();
        }
    }

    /** A bad command line: the message says what, and the usage text follows. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    public static final String USAGE = """
            usage: ./pocketbridge bench [options]
              Starts the whole system as the run command does (or uses --server), drives it with real
              devices through device-client, checks correctness while measuring, and writes
              <out>/benchmarks.md and <out>/benchmarks.json.

              --server URL              a running gateway (loopback only); default: start the system
              --workloads LIST          W1,W2,W3,W4,overload,bare (default: all); bare: the event path's
                                        components alone (no services) at --rate and at 10,000/s
              --users N                 W1 users (100)
              --devices-per-user N      W1 devices per user, 2..5 (3): fan-out N-1
              --rate N                  W1 events/s, open loop (2000)
              --payload-bytes N         random ciphertext per event (1024, at least 36)
              --duration D              W1 length (30s)
              --w2-duration D           W2 confirmation length (60s)
              --w2-probe D              W2 probe length (10s)
              --w3-sessions N           W3 idle sessions against one gateway (20000)
              --w3-concurrency N        W3 handshakes in flight (64)
              --w4-events N             W4 events to catch up on (100000)
              --overload-duration D     each overload phase (30s)
              --out DIR                 where the report goes (docs)
              --gateway-pid PID         the gateway's process, for its memory (found when not given)
              --kafka HOST:PORT         the broker of the floor (127.0.0.1:19092)
              --postgres HOST:PORT      the PostgreSQL of the floor (127.0.0.1:15432)
              --register-concurrency N  registrations in flight (8)
              --warmup D                W1's schedule run unmeasured before the open-loop workloads, so the JVMs
                                are compiled (60s; 0: none); W3's handshakes likewise, for at most 30s;
                                and W4's offline device replays the log again and again for as long,
                                on 20 connections of its own
              --inject FAULT            test the checks: tamper with what one device receives
                                        (drop, lose, reorder, cross-user); the report says so
              --no-build                (script) do not build first
            Durations: 30s, 500ms, 2m, or plain seconds.""";

    public static Options defaults() {
        return new Options(Path.of(".").toAbsolutePath().normalize(), null, Set.of(Workload.values()), 100, 3, 2000,
                1024, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(10), 20_000, 64, 100_000,
                Duration.ofSeconds(30), Path.of("docs"), null, "127.0.0.1:19092", "127.0.0.1:15432", 8,
                // A server is measured warm: JIT compilation of the hot path under load takes about a minute here.
                Duration.ofSeconds(60), FaultInjector.Fault.NONE);
    }

    /** True when this run starts (and stops) the system itself. */
    public boolean startsSystem() {
        return server == null;
    }

    /** The gateway's base URL: --server, or the run command's gateway. */
    public URI serverOrDefault() {
        return server != null ? server : URI.create("http://localhost:8080");
    }

    public boolean runs(Workload workload) {
        return workloads.contains(workload);
    }

    /** The report directory, relative paths taken from the project root. */
    public Path outDirectory() {
        return out.isAbsolute() ? out : root.resolve(out);
    }

    public static Options parse(List<String> args) {
        Options o = defaults();
        Path root = o.root;
        URI server = null;
        Set<Workload> workloads = o.workloads;
        int users = o.users;
        int devices = o.devicesPerUser;
        int rate = o.rate;
        int payload = o.payloadBytes;
        Duration duration = o.duration;
        Duration w2Duration = o.w2Duration;
        Duration w2Probe = o.w2Probe;
        int w3Sessions = o.w3Sessions;
        int w3Concurrency = o.w3Concurrency;
        int w4Events = o.w4Events;
        Duration overload = o.overloadDuration;
        Path out = o.out;
        Long gatewayPid = null;
        String kafka = o.kafka;
        String postgres = o.postgres;
        int registerConcurrency = o.registerConcurrency;
        Duration warmup = o.warmup;
        FaultInjector.Fault inject = o.inject;

        List<String> queue = new ArrayList<>(args);
        while (!queue.isEmpty()) {
            String arg = queue.removeFirst();
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException("");
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (queue.isEmpty()) {
                    throw new UsageException(arg + " needs a value");
                }
                value = queue.removeFirst();
            }
            switch (name) {
                case "--root" -> root = Path.of(value).toAbsolutePath().normalize();
                case "--server" -> server = loopbackUrl(value);
                case "--workloads" -> workloads = workloads(value);
                case "--users" -> users = positive(name, value, 1_000_000);
                case "--devices-per-user" -> devices = range(name, value, 2, MAX_DEVICES_PER_USER);
                case "--rate" -> rate = positive(name, value, 10_000_000);
                case "--payload-bytes" -> payload = range(name, value, MIN_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES);
                case "--duration" -> duration = duration(name, value);
                case "--w2-duration" -> w2Duration = duration(name, value);
                case "--w2-probe" -> w2Probe = duration(name, value);
                case "--w3-sessions" -> w3Sessions = positive(name, value, 10_000_000);
                case "--w3-concurrency" -> w3Concurrency = range(name, value, 1, 4096);
                case "--w4-events" -> w4Events = positive(name, value, 100_000_000);
                case "--overload-duration" -> overload = duration(name, value);
                case "--out" -> out = Path.of(value);
                case "--gateway-pid" -> gatewayPid = (long) positive(name, value, Integer.MAX_VALUE);
                case "--kafka" -> kafka = loopbackHostPort(name, value);
                case "--postgres" -> postgres = loopbackHostPort(name, value);
                case "--register-concurrency" -> registerConcurrency = range(name, value, 1, 256);
                case "--warmup" -> warmup = value.trim().matches("0+(s|ms|m)?") ? Duration.ZERO : duration(name, value);
                case "--inject" -> inject = FaultInjector.Fault.parse(value);
                default -> throw new UsageException("unknown option " + name);
            }
        }
        return new Options(root, server, workloads, users, devices, rate, payload, duration, w2Duration, w2Probe,
                w3Sessions, w3Concurrency, w4Events, overload, out, gatewayPid, kafka, postgres, registerConcurrency,
                warmup, inject);
    }

    static Set<Workload> workloads(String value) {
        Set<Workload> set = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                set.add(Workload.parse(part));
            }
        }
        if (set.isEmpty()) {
            throw new UsageException("--workloads names no workload");
        }
        return Set.copyOf(set);
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or plain seconds; at least 1 ms, at most a day. */
    static Duration duration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": '" + value + "' is not a duration (e.g. 30s, 500ms, 2m)");
        }
        if (d.toMillis() < 1 || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new UsageException(name + ": " + value + " is out of range (1ms..24h)");
        }
        return d;
    }

    static int positive(String name, String value, int max) {
        return range(name, value, 1, max);
    }

    static int range(String name, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": '" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new UsageException(name + ": " + n + " is out of range (" + min + ".." + max + ")");
        }
        return n;
    }

    /** The bench talks to this machine only. */
    static boolean isLoopbackHost(String host) {
        return host != null && (host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1"));
    }

    static URI loopbackUrl(String value) {
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--server: '" + value + "' is not a URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new UsageException("--server: '" + value + "' is not an http(s) URL");
        }
        if (!isLoopbackHost(uri.getHost())) {
            throw new UsageException("--server: only localhost or 127.0.0.1 may be targeted, not '" + uri.getHost() + "'");
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    static String loopbackHostPort(String name, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException(name + ": '" + value + "' is not HOST:PORT");
        }
        String host = value.substring(0, colon);
        if (!isLoopbackHost(host)) {
            throw new UsageException(name + ": only localhost or 127.0.0.1 may be targeted, not '" + host + "'");
        }
        range(name, value.substring(colon + 1), 1, 65535);
        return value;
    }

    /** The settings as the report lists them. */
    public java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("server", startsSystem() ? "started by the bench (LocalRunner): " + serverOrDefault() : server.toString());
        m.put("workloads", Workload.values().length == workloads.size() ? "all"
                : String.join(",", java.util.Arrays.stream(Workload.values()).filter(workloads::contains)
                        .map(Workload::label).toList()));
        m.put("users", users);
        m.put("devices_per_user", devicesPerUser);
        m.put("rate", rate);
        m.put("payload_bytes", payloadBytes);
        m.put("duration", Durations.format(duration));
        m.put("w2_duration", Durations.format(w2Duration));
        m.put("w2_probe", Durations.format(w2Probe));
        m.put("w3_sessions", w3Sessions);
        m.put("w3_concurrency", w3Concurrency);
        m.put("w4_events", w4Events);
        m.put("overload_duration", Durations.format(overloadDuration));
        m.put("kafka", kafka);
        m.put("postgres", postgres);
        m.put("register_concurrency", registerConcurrency);
        m.put("warmup", warmup.isZero() ? "none" : Durations.format(warmup));
        if (inject != FaultInjector.Fault.NONE) {
            m.put("inject", inject.label() + " (a test of the checks: not a measurement)");
        }
        return m;
    }
}
