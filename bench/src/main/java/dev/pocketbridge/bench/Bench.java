package dev.pocketbridge.bench;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.PocketBridgeApi;

/**
 * {@code ./pocketbridge bench}: starts the system (or uses {@code --server}), measures the floor,
 * registers what devices are missing, runs the workloads in the order W1, W2, overload (these
 * three share their connected devices), W3, W4, checks correctness throughout, stops what it
 * started, and writes {@code benchmarks.md} and {@code benchmarks.json}. Exit status: 0 all checks
 * passed, 1 a check failed, 2 usage error, 3 the run failed.
 */
public final class Bench {

    static final int CONNECT_CONCURRENCY = 32;
    private static final double CLIENT_LAG_WARNING_MS = 5;

    private Bench() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Options o;
        try {
            o = Options.parse(List.of(args));
        } catch (Options.UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("bench: " + e.getMessage());
            }
            System.err.println(Options.USAGE);
            return e.getMessage().isEmpty() ? 0 : 2;
        }
        long runId = new SecureRandom().nextLong() | 1;
        String command = command(args);
        Console.say(command);
        List<String> notes = new ArrayList<>();
        if (Runtime.version().feature() < 24) {
            notes.add("JDK " + Runtime.version().feature() + ": receivers are platform threads (virtual threads "
                    + "would pin in device-client's synchronized inbox before JDK 24)");
        }
        Map<String, Object> serverLimits = new LinkedHashMap<>();
        Results.Registration registration = null;
        Results.Floor floor = null;
        Results.BarePath barePath = null;
        Results.Window w1 = null;
        Results.Throughput w2 = null;
        Results.Connections w3 = null;
        Results.CatchUp w4 = null;
        Results.Overload overload = null;
        String error = null;
        SystemUnderTest sut = null;
        try {
            sut = o.startsSystem() ? SystemUnderTest.start(o.root()) : SystemUnderTest.attach(o.server());
            URI server = sut.server;
            PocketBridgeApi api = new PocketBridgeApi(server.toString());
            PocketBridgeApi.ServerInfo info = api.serverInfo();
            if (info.limits() != null) {
                serverLimits.putAll(info.limits());
            }
            notes.add(MachineInfo.serviceJvms());
            int maxInflight = intLimit(info, "max_inflight_events", 100);
            Connector connector = Connector.spread(api.webSocketUri(), DeviceSession.serverKeyOf(info),
                    ws -> SystemUnderTest.healthy(URI.create("http://" + ws.getRawAuthority())));

            floor = Floor.measure(o, runId);
            if (o.runs(Options.Workload.BARE)) {
                barePath = BarePath.measure(o, runId, SystemCpu.of(sut));
            }

            boolean load = o.runs(Options.Workload.W1) || o.runs(Options.Workload.W2)
                    || o.runs(Options.Workload.OVERLOAD);
            int loadUsers = load ? o.users() : 0;
            int w3Users = o.runs(Options.Workload.W3)
                    ? (o.w3Sessions() + Options.MAX_DEVICES_PER_USER - 1) / Options.MAX_DEVICES_PER_USER : 0;
            IdentityStore store = IdentityStore.open(IdentityStore.directory(o.root().resolve(".data/bench"), server,
                    info.serverIdentityPub()));
            registration = Registrar.ensure(api, store, Math.max(loadUsers, w3Users),
                    u -> Math.max(u < loadUsers ? o.devicesPerUser() : 0, u < w3Users ? Options.MAX_DEVICES_PER_USER : 0),
                    o.registerConcurrency());

            if (load) {
                List<DeviceIdentity[]> identities = new ArrayList<>();
                for (int u = 0; u < loadUsers; u++) {
                    DeviceIdentity[] devices = new DeviceIdentity[o.devicesPerUser()];
                    for (int d = 0; d < devices.length; d++) {
                        devices[d] = store.get(u, d);
                    }
                    identities.add(devices);
                }
                AtomicLong eventNumbers = new AtomicLong();
                FaultInjector fault = new FaultInjector(o.inject(), runId);
                LoadSessions sessions = new LoadSessions(identities, o.devicesPerUser(), connector, CONNECT_CONCURRENCY,
                        fault);
                try {
                    LoadEngine engine = new LoadEngine(sessions, runId, eventNumbers, o.payloadBytes(), SystemCpu.of(sut));
                    if (!o.warmup().isZero()) {
                        warmup(engine, sessions, o, notes);
                    }
                    if (o.runs(Options.Workload.W1)) {
                        w1 = engine.run("W1", List.of(new Results.Phase(o.rate(), seconds(o.duration()))));
                        lagNote(notes, w1);
                    }
                    if (o.runs(Options.Workload.W2)) {
                        w2 = ThroughputSearch.run(engine, o.rate(), o.w2Probe(), o.w2Duration(), notes);
                        if (w2.confirmed() != null) {
                            lagNote(notes, w2.confirmed());
                        }
                    }
                    if (o.runs(Options.Workload.OVERLOAD)) {
                        overload = overload(engine, o, w2, notes);
                        lagNote(notes, overload.window());
                    }
                    if (fault.active()) {
                        notes.add("FAULT INJECTED (--inject " + fault.fault().label() + "): " + fault.injected.get()
                                + " deliveries to user 0 device 1 were tampered with; this run tests the checks, it"
                                + " measures nothing");
                    }
                } finally {
                    Console.say("closing the " + loadUsers * o.devicesPerUser() + " load sessions");
                    sessions.close();
                }
            }
            if (o.runs(Options.Workload.W3)) {
                List<DeviceIdentity> identities = new ArrayList<>();
                for (int u = 0; u < w3Users && identities.size() < o.w3Sessions(); u++) {
                    for (int d = 0; d < Options.MAX_DEVICES_PER_USER && identities.size() < o.w3Sessions(); d++) {
                        identities.add(store.get(u, d));
                    }
                }
                GatewayProbe probe = new GatewayProbe(sut.gatewayPid(o.gatewayPid()).orElse(null), server);
                Duration w3Warmup = o.warmup().compareTo(W3_WARMUP) < 0 ? o.warmup() : W3_WARMUP;
                long warmed = ConnectionsWorkload.warmUp(identities, connector, o.w3Concurrency(), w3Warmup);
                if (warmed > 0) {
                    notes.add(String.format(Locale.ROOT, "W3 warm-up: %d handshakes of its first %d devices in %s"
                            + " before it measured, unmeasured, to compile the handshake path (a gateway whose credential"
                            + " view has caught up asks device-service for none of W3's devices, warmed up or not)", warmed,
                            Math.min(ConnectionsWorkload.WARMUP_DEVICES, identities.size()), Durations.format(w3Warmup)));
                }
                w3 = ConnectionsWorkload.run(identities, connector, o.w3Concurrency(), probe);
                notes.add(String.format(Locale.ROOT, "W3's sessions took turns over %d of the gateway's addresses (%s): Linux"
                        + " makes each connect search its ephemeral ports once half of them lead to one address (about"
                        + " 14,000 sessions), which took the bench about 1 ms of kernel CPU per session beyond that",
                        connector.webSocketUris().size(), connector.webSocketUris().stream().map(URI::getHost).toList()));
            }
            if (o.runs(Options.Workload.W4)) {
                w4 = CatchUpWorkload.run(api, connector, o.w4Events(), maxInflight, runId, o.payloadBytes(),
                        o.warmup());
            }
        } catch (Exception e) {
            error = e.toString();
            Console.warn("the run failed: " + e);
            e.printStackTrace(System.err);
        } finally {
            if (sut != null) {
                sut.close();
            }
        }

        List<String> failures = new ArrayList<>();
        failures(failures, "W1", w1 == null ? null : w1.violations());
        failures(failures, "W2", w2 == null ? null : w2.violations());
        failures(failures, "overload", overload == null ? null : overload.window().violations());
        failures(failures, "W4", w4 == null ? null : w4.violations());
        String status = error != null ? Report.ERROR : failures.isEmpty() ? Report.PASSED : Report.FAILED;
        Report report = new Report(OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                command, status, failures, error, MachineInfo.machine(), MachineInfo.git(o.root()),
                MachineInfo.versions(o.root()), o.describe(), serverLimits, registration, floor,
                barePath, Report.ratios(floor, w1), w1, w2, w3, w4, overload, Report.goals(w1, w2, w3, w4), notes);
        try {
            ReportWriter.write(report, o.outDirectory());
            Console.say("report: " + o.outDirectory().resolve("benchmarks.md") + " and benchmarks.json");
        } catch (Exception e) {
            Console.warn("the report could not be written: " + e);
            return 3;
        }
        summary(report);
        return error != null ? 3 : failures.isEmpty() ? 0 : 1;
    }

    /** The longest warm-up of W3's handshake path (--warmup, when shorter). */
    private static final Duration W3_WARMUP = Duration.ofSeconds(30);

    /** W1's schedule for --warmup, unmeasured; its failed checks go to the next window. */
    private static void warmup(LoadEngine engine, LoadSessions sessions, Options o, List<String> notes) {
        Results.Window w = engine.run("warmup", List.of(new Results.Phase(o.rate(), seconds(o.warmup()))));
        for (Violations.Violation v : w.violations()) {
            sessions.between.add(v, "warmup: ");
        }
        notes.add(String.format(Locale.ROOT, "warmup: %s at %s events/s before the measured windows (sent %d, acked %d,"
                + " rejected %d), not measured", Durations.format(o.warmup()), Markdown.num(o.rate()), w.sent(),
                w.acked(), w.rejected()));
    }

    private static Results.Overload overload(LoadEngine engine, Options o, Results.Throughput w2, List<String> notes) {
        boolean fromW2 = w2 != null && w2.heldRate() > 0;
        double base = fromW2 ? w2.heldRate() : o.rate();
        String basis = fromW2 ? "W2 held rate" : "W1 rate";
        if (!engine.settle("overload", LoadEngine.BACKLOG_CLEARED)) {
            notes.add("overload: the system had not cleared the previous load after " + Durations.format(LoadEngine.SETTLE_LIMIT));
        }
        double phase = seconds(o.overloadDuration());
        Results.Window w = engine.run("overload", List.of(new Results.Phase(2 * base, phase),
                new Results.Phase(base, phase)));
        Results.PhaseStats first = w.phases().getFirst();
        Double recovery = Checker.recoverySeconds(w.perSecond(), (int) Math.round(phase), (int) Math.round(2 * phase),
                ThroughputSearch.DELIVERY_P99_LIMIT_MS);
        return new Results.Overload(base, basis, 2 * base, w, first.shedShare(), first.ack(), w.unanswered(), recovery,
                "from the drop to the first 1 s window (by scheduled send time) after which every window is fully "
                        + "acked, nothing shed, ack p99 <= 100 ms");
    }

    private static void lagNote(List<String> notes, Results.Window w) {
        if (w.clientSendLag().p99Ms() > Math.max(CLIENT_LAG_WARNING_MS, 0.2 * w.ack().p99Ms())) {
            notes.add(String.format(Locale.ROOT, "%s: the client's own send lag p99 was %.1f ms (max %.1f ms): the "
                    + "bench may have limited this run", w.label(), w.clientSendLag().p99Ms(), w.clientSendLag().maxMs()));
        }
    }

    private static void failures(List<String> failures, String workload, List<Violations.Violation> violations) {
        if (violations == null) {
            return;
        }
        for (Violations.Violation v : violations) {
            failures.add(workload + ": " + v.check() + " ×" + v.count() + " (" + v.description() + ")"
                    + (v.examples().isEmpty() ? "" : ", e.g. " + v.examples().getFirst()));
        }
    }

    private static void summary(Report r) {
        System.out.println();
        if (!Report.PASSED.equals(r.status())) {
            System.out.println("==================================================================");
            System.out.println(Report.ERROR.equals(r.status()) ? "  BENCH RUN FAILED: " + r.error()
                    : "  CORRECTNESS CHECKS FAILED: figures of the failing workloads are not valid");
            for (String f : r.failures()) {
                System.out.println("  - " + f);
            }
            System.out.println("==================================================================");
        }
        for (Report.Goal g : r.goals()) {
            System.out.printf(Locale.ROOT, "  %-8s %-62s %-22s %s%n", g.workload(), g.goal(), g.measured(), g.status());
        }
        for (String note : r.notes()) {
            System.out.println("  note: " + note);
        }
        System.out.println();
    }

    private static int intLimit(PocketBridgeApi.ServerInfo info, String name, int fallback) {
        Object v = info.limits() == null ? null : info.limits().get(name);
        return v instanceof Number n ? n.intValue() : fallback;
    }

    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** The command as typed, without the script's {@code --root}. */
    static String command(String[] args) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--root")) {
                i++;
            } else if (!args[i].startsWith("--root=")) {
                shown.add(args[i]);
            }
        }
        return ("./pocketbridge bench " + String.join(" ", shown)).trim();
    }
}
