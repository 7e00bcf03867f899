package dev.pocketbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.PocketBridgeApi;

/**
 * The fault-injection suite (issue 7): steady traffic from many devices of many users on two
 * gateway nodes while, one at a time, each process is killed and restarted by the run command's
 * supervisor, Kafka and PostgreSQL are unreachable for a while, and a gateway node is lost with its
 * sessions. After each fault it checks that every acknowledged event was stored exactly once and
 * reached every other device of its user (live or by the replay the devices do by themselves), in
 * order, and no one else's; that the system came back with no step but the restart; and how long
 * that took. The figures go to {@code docs/reliability.md}.
 *
 * <p>Part of {@code ./pocketbridge test} (a failsafe execution of its own, after the other end-to-end
 * tests); alone: {@code ./mvnw verify -pl e2e-tests -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=FaultInjectionIT -Dfailsafe.failIfNoSpecifiedTests=false}. System properties:
 * {@code faults.users} (10), {@code faults.devices} (3), {@code faults.rate} (events/s of all devices,
 * 30), {@code faults.outage} (how long Kafka and PostgreSQL are unreachable, 30s), {@code faults.only} (ids of the faults to run, all by default),
 * {@code faults.known-failures} (ids whose failure is reported but does not fail the build),
 * {@code faults.report} (where to write the report, docs/reliability.md).
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionIT {

    enum Kind {
        /** SIGKILL, then the supervisor restarts it. */
        KILL,
        /** SIGSTOP of the whole process tree for the outage, then SIGCONT. */
        UNREACHABLE,
        /** SIGKILL of a gateway node; its devices connect to the other node (the supervisor restarts it later). */
        NODE_LOST
    }

    /** One fault of the suite. */
    record Fault(String id, String title, Kind kind, String target, String exercises) {
    }

    static final List<Fault> FAULTS = List.of(
            new Fault("gateway-killed", "gateway node 1 killed and restarted", Kind.KILL, "gateway-1",
                    "The node's sessions break without a close frame; its devices reconnect to it once the supervisor "
                            + "has restarted it (they stay with their node meanwhile), and catch up by replay. The "
                            + "restarted node announces a new presence epoch, so relay forgets the dead sessions and "
                            + "learns the new ones; events in flight on the node are answered after the restart as "
                            + "duplicates when resent."),
            new Fault("auth-killed", "auth-service killed and restarted", Kind.KILL, "auth-service",
                    "Tokens cannot be issued while it is down; sessions and events do not depend on it. Checks that "
                            + "its restart needs nothing else and that the event path is untouched."),
            new Fault("device-killed", "device-service killed and restarted", Kind.KILL, "device-service",
                    "Device REST, and the handshakes of devices the gateways' credential views do not hold, fail "
                            + "while it is down; open sessions keep working and known devices reconnect. Checks that a login "
                            + "(auth-service asks device-service) and a handshake on each node work once it is back."),
            new Fault("event-killed", "event-service killed and restarted", Kind.KILL, "event-service",
                    "The only writer of the event log dies mid-batch: events in flight are neither acked nor lost "
                            + "(uncommitted offsets are redelivered to the restarted instance, which finds stored "
                            + "ones by event_id and republishes them); replay fails meanwhile; the restarted consumer "
                            + "rejoins its group at once under its static group.instance.id."),
            new Fault("relay-killed", "relay-service killed and restarted", Kind.KILL, "relay-service",
                    "Acks and live deliveries stop while it is down (both are its output); the restarted relay "
                            + "re-reads presence, resumes from its committed offset, and the devices fill any gap "
                            + "by replay."),
            new Fault("kafka-killed", "Kafka broker killed and restarted", Kind.KILL, FaultSystem.KAFKA,
                    "Every producer and consumer loses the broker at once; in-flight produces fail or are retried "
                            + "(idempotent producers), the gateways answer unavailable and close sessions with 1013 when "
                            + "an event cannot be handed over, consumers resume from committed offsets after the "
                            + "broker's log recovery."),
            new Fault("postgresql-killed", "PostgreSQL killed and restarted", Kind.KILL, FaultSystem.POSTGRES,
                    "The postmaster and every backend die at once; transactions in flight are rolled back and "
                            + "retried by event-service's blocking error handler, committed ones survive crash recovery "
                            + "(fsync and synchronous_commit on); connection pools reconnect."),
            new Fault("kafka-unreachable", "Kafka unreachable", Kind.UNREACHABLE, FaultSystem.KAFKA,
                    "The broker (SIGSTOP) holds every connection open and answers nothing: producers block and time "
                            + "out, consumers' sessions expire, pending events time out as unavailable and are resent; "
                            + "after SIGCONT everything must resume without a restart."),
            new Fault("postgresql-unreachable", "PostgreSQL unreachable", Kind.UNREACHABLE, FaultSystem.POSTGRES,
                    "Every PostgreSQL process is stopped (SIGSTOP): queries hang rather than fail, so event-service's "
                            + "batch and the services' pools wait; after SIGCONT the stalled transactions complete "
                            + "or are retried."),
            new Fault("gateway-lost", "gateway node 0 lost with its sessions", Kind.NODE_LOST, "gateway-0",
                    "A node dies while holding sessions and its devices reconnect to the other node (as behind a load "
                            + "balancer); relay must route to the sessions' new node while the dead node's presence "
                            + "records still say otherwise. The supervisor brings the node back afterwards."));

    private static final Duration START_LIMIT = Duration.ofMinutes(6);
    private static final Duration RESTART_LIMIT = Duration.ofMinutes(4);
    private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(3);
    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(2);
    private static final Duration AUDIT_LIMIT = Duration.ofMinutes(2);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    /** Traffic before each fault (as many events acknowledged as the rate sends in this long): it hits events in flight. */
    static final int BEFORE_FAULT_SECONDS = 5;
    private static final Duration BEFORE_FAULT = Duration.ofSeconds(BEFORE_FAULT_SECONDS);

    private final Traffic.Settings settings = new Traffic.Settings(
            Integer.getInteger("faults.users", 10), Integer.getInteger("faults.devices", 3),
            Double.parseDouble(System.getProperty("faults.rate", "30")), 50);
    private final Duration outage = Duration.parse("PT" + System.getProperty("faults.outage", "30s").toUpperCase());
    private final Set<String> known = ids(System.getProperty("faults.known-failures", ""));
    private final Set<String> only = ids(System.getProperty("faults.only", ""));

    private FaultSystem system;
    private Traffic traffic;
    private List<PocketBridgeApi> gateways;
    private DeviceIdentity probe;
    private final List<FaultResult> results = new ArrayList<>();
    private FaultResult baseline;
    private Map<String, String> durability;
    private long startedNanos;
    private final Map<String, Integer> probeFailures = new ConcurrentHashMap<>();
    private int probeTries;

    @BeforeAll
    void startSystemAndTraffic() throws Exception {
        startedNanos = System.nanoTime();
        system = FaultSystem.start(System.out);
        durability = system.durability();
        assertThat(durability).as("PostgreSQL runs durably").containsEntry("fsync", "on")
                .containsEntry("synchronous_commit", "on").containsEntry("full_page_writes", "on");
        RunningSystem services = system.services();
        gateways = List.of(new PocketBridgeApi(services.gateway(0)), new PocketBridgeApi(services.gateway(1)));
        probe = Device.registerNewUser(gateways.getFirst(), "fault-probe", "desktop");
        traffic = Traffic.register(settings, gateways);
        traffic.start();
        long t0 = System.nanoTime();
        await("every device connected and a round trip on every user").atMost(START_LIMIT)
                .pollInterval(Duration.ofMillis(200)).until(() -> traffic.roundTripSeconds(t0) != null);
        say(String.format("system and traffic up after %.0f s", (System.nanoTime() - startedNanos) / 1e9));
        baseline = runPhase(new Fault("baseline", "no fault (steady traffic)", Kind.KILL, null,
                "The same traffic without a fault, for comparison."), 0);
    }

    @AfterAll
    void stopAndReport() throws Exception {
        try {
            if (traffic != null) {
                traffic.close();
            }
        } finally {
            if (system != null) {
                system.close();
            }
        }
        if (baseline != null) {
            Path report = Path.of(System.getProperty("faults.report",
                    RunningSystem.root().resolve("docs/reliability.md").toString()));
            ReliabilityReport.write(report, settings, outage, durability, baseline, results, known,
                    Duration.ofNanos(System.nanoTime() - startedNanos));
            say("report written to " + report);
        }
    }

    @TestFactory
    Stream<DynamicTest> faults() {
        return FAULTS.stream().filter(f -> only.isEmpty() || only.contains(f.id()))
                .map(f -> DynamicTest.dynamicTest(f.title(), () -> {
                    FaultResult result = runPhase(f, results.size() + 1);
                    results.add(result);
                    if (known.contains(f.id())) {
                        return; // reported as a known failure, with its figures
                    }
                    assertThat(result.violations()).as("failed checks").isEmpty();
                    assertThat(result.lost()).as("acknowledged events lost; e.g. %s", result.lostExamples()).isZero();
                    assertThat(result.storedTwice()).as("events stored twice").isZero();
                    assertThat(result.recovered()).as("recovered by itself; %s", result.notes()).isTrue();
                }));
    }

    /** Steady traffic, the fault, recovery, then the checks over every event first sent in this phase. */
    private FaultResult runPhase(Fault fault, int phase) {
        say("=== " + fault.title());
        List<String> notes = new ArrayList<>();
        boolean healthy = awaitQuietly(() -> system.allReady()
                && traffic.roundTripSeconds(System.nanoTime() - Duration.ofSeconds(2).toNanos()) != null, RECOVERY_LIMIT);
        if (!healthy) {
            notes.add("the system was not healthy before the fault (not every process ready, or no round trip on every user)");
        }
        traffic.phase(phase);
        // The fault hits steady traffic: events of this phase already acknowledged, more in flight.
        long steady = Math.round(settings.eventsPerSecond() * BEFORE_FAULT_SECONDS);
        awaitQuietly(() -> traffic.events(phase).stream().filter(EventRecord::acked).count() >= steady,
                BEFORE_FAULT.multipliedBy(4));

        long faultAt = System.nanoTime();
        long upAt = faultAt;
        int restartsBefore = 0;
        List<Integer> probeNodes = List.of(0, 1);
        switch (fault.kind()) {
            case KILL -> {
                if (fault.target() != null) {
                    int restarts = system.restarts(fault.target());
                    system.kill(fault.target());
                    upAt = system.awaitRestarted(fault.target(), restarts, RESTART_LIMIT);
                    notes.add(String.format("%s restarted by the supervisor and ready %.1f s after the kill",
                            fault.target(), (upAt - faultAt) / 1e9));
                }
            }
            case UNREACHABLE -> {
                List<Long> pids = system.pause(fault.target());
                try {
                    await(fault.target() + " stays stopped for the outage").during(outage).atMost(outage.plusSeconds(10))
                            .pollInterval(Duration.ofMillis(500)).until(() -> stopped(pids));
                } finally {
                    system.resume(pids);
                }
                upAt = System.nanoTime();
                notes.add(String.format("%s stopped (SIGSTOP) for %.1f s, pids %s", fault.target(),
                        (upAt - faultAt) / 1e9, pids));
            }
            case NODE_LOST -> {
                restartsBefore = system.restarts(fault.target());
                int node = fault.target().endsWith("0") ? 0 : 1;
                int[] before = traffic.sessionsPerNode();
                notes.add("sessions per node before: " + Arrays.toString(before));
                traffic.failover(true);
                system.kill(fault.target());
                probeNodes = List.of(1 - node);
            }
        }
        long from = upAt;
        List<Integer> nodes = probeNodes;
        // One loop (the probe takes a while): the round trip's time comes from the events' own timestamps.
        long[] probedAt = {0};
        long[] lastTry = {0};
        probeFailures.clear();
        awaitQuietly(() -> {
            // At most two tries a second: the probe's REST calls count against the per-address limits.
            if (probedAt[0] == 0 && System.nanoTime() - lastTry[0] >= PROBE_INTERVAL.toNanos()) {
                lastTry[0] = System.nanoTime();
                if (probe(nodes, ++probeTries)) {
                    probedAt[0] = System.nanoTime();
                }
            }
            return probedAt[0] != 0 && traffic.roundTripSeconds(from) != null;
        }, RECOVERY_LIMIT);
        Double roundTrip = traffic.roundTripSeconds(from);
        if (roundTrip == null) {
            notes.add("no round trip on every user within " + RECOVERY_LIMIT.toSeconds() + " s: "
                    + traffic.describeRoundTrips(from));
        }
        Double probeSeconds = probedAt[0] == 0 ? null : (probedAt[0] - from) / 1e9;
        if (!probeFailures.isEmpty()) {
            notes.add("probe failures before it succeeded: " + probeFailures);
        }
        if (fault.kind() == Kind.NODE_LOST) {
            notes.add("sessions per node after the round trip: " + Arrays.toString(traffic.sessionsPerNode()));
            long back = system.awaitRestarted(fault.target(), restartsBefore, RESTART_LIMIT);
            notes.add(String.format("the supervisor had %s ready again %.1f s after the kill", fault.target(),
                    (back - faultAt) / 1e9));
        }
        boolean ready = awaitQuietly(system::allReady, RESTART_LIMIT);
        if (!ready) {
            notes.add("not every process was ready again within " + RESTART_LIMIT.toMinutes() + " min");
        }
        traffic.failover(false);
        // From here on new events belong to the next phase: this one's are checked once all are answered.
        traffic.phase(phase + 1);
        boolean settled = awaitQuietly(() -> traffic.settled(phase), SETTLE_LIMIT);
        if (!settled) {
            notes.add("not settled within " + SETTLE_LIMIT.toSeconds() + " s: disconnected devices "
                    + traffic.disconnected());
        }
        Set<String> lostFromLog = traffic.auditStoredLogs(phase, AUDIT_LIMIT);
        FaultResult result = figures(fault, phase, fault.kind() == Kind.NODE_LOST ? null : (upAt - faultAt) / 1e9,
                roundTrip, probeSeconds, roundTrip != null && probeSeconds != null && ready && settled, lostFromLog,
                notes);
        say(String.format("%s: sent %d, acked %d, lost %d, stored twice %d, down %s s, round trip %s s, probe %s s, %s; %s",
                fault.id(), result.sent(), result.acked(), result.lost(), result.storedTwice(), result.downSeconds(),
                roundTrip, probeSeconds, result.passed() ? "passed" : "FAILED " + result.violations() + " " + notes,
                result.counters()));
        return result;
    }

    private FaultResult figures(Fault fault, int phase, Double down, Double roundTrip, Double probeSeconds,
            boolean recovered, Set<String> lostFromLog, List<String> notes) {
        List<EventRecord> events = traffic.events(phase);
        long acked = 0;
        long rejected = 0;
        long unresolved = 0;
        Set<String> lost = new HashSet<>(lostFromLog);
        List<String> lostExamples = new ArrayList<>();
        List<String> rejectedExamples = new ArrayList<>();
        for (EventRecord r : events) {
            if (r.acked()) {
                acked++;
                if (!r.reachedOthers()) {
                    lost.add(r.eventId);
                    if (lostExamples.size() < 5) {
                        lostExamples.add(r + " missing on devices " + missingOn(r));
                    }
                }
            } else if (r.finalRejection != null) {
                rejected++;
                if (rejectedExamples.size() < 3) {
                    rejectedExamples.add(r + " (device_seq " + r.deviceSeq + ", resent " + r.resends.get() + " times): "
                            + r.finalRejection);
                }
            } else {
                unresolved++;
            }
        }
        if (!rejectedExamples.isEmpty()) {
            notes.add("rejected for good: " + String.join("; ", rejectedExamples));
        }
        List<Traffic.Violation> violations = traffic.violations(phase);
        long storedTwice = violations.stream()
                .filter(v -> v.check().equals(Traffic.STORED_TWICE) || v.check().equals(Traffic.SEQ_CONFLICT))
                .mapToLong(Traffic.Violation::count).sum();
        return new FaultResult(fault, events.size(), acked, acked, lost.size(), storedTwice, rejected, unresolved, down,
                roundTrip, probeSeconds, recovered, violations, lostExamples, traffic.counters(phase), notes);
    }

    private String missingOn(EventRecord r) {
        List<Integer> missing = new ArrayList<>();
        for (int d = 0; d < r.receivedNanos.length(); d++) {
            if (d != r.device && r.receivedNanos.get(d) == 0) {
                missing.add(d);
            }
        }
        return missing.toString();
    }

    /**
     * A device outside the traffic gets a token (auth-service, device-service; through one of
     * {@code nodes}, another each try), handshakes on each of {@code nodes} (gateway,
     * device-service) and replays (event-service).
     */
    private boolean probe(List<Integer> nodes, int attempt) {
        try {
            Device.tokens(gateways.get(nodes.get(attempt % nodes.size())), probe);
            for (int node : nodes) {
                try (DeviceSession session = DeviceSession.connect(gateways.get(node).webSocketUri(), probe,
                        traffic.serverKey(), Duration.ofSeconds(10))) {
                    session.replay(0L, 1, null);
                }
            }
            return true;
        } catch (RuntimeException notYet) {
            probeFailures.merge(notYet.toString(), 1, Integer::sum);
            return false;
        }
    }

    private static boolean stopped(List<Long> pids) {
        // /proc/<pid>/stat: "pid (comm) state ..."; T is stopped by a signal
        return pids.stream().allMatch(pid -> {
            try {
                String stat = Files.readString(Path.of("/proc", pid.toString(), "stat"));
                return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
            } catch (IOException gone) {
                return true;
            }
        });
    }

    private static boolean awaitQuietly(Callable<Boolean> condition, Duration limit) {
        try {
            await().atMost(limit).pollInterval(Duration.ofMillis(200)).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private static <T> T awaitValue(Callable<T> value, Duration limit) {
        try {
            return await().atMost(limit).pollInterval(Duration.ofMillis(200)).until(value, v -> v != null);
        } catch (ConditionTimeoutException e) {
            return null;
        }
    }

    private static Set<String> ids(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static void say(String message) {
        System.out.println("[faults] " + message);
    }
}
