package dev.pocketbridge.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Writes {@code docs/reliability.md} from the fault suite's results. */
final class ReliabilityReport {

    private ReliabilityReport() {
    }

    static void write(Path file, Traffic.Settings settings, Duration outage, Map<String, String> durability,
            FaultResult baseline,
            List<FaultResult> results, Set<String> known, Duration took) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Reliability: the fault-injection suite\n\n");
        md.append("Written by the fault-injection suite (`e2e-tests` `FaultInjectionIT`, part of `./pocketbridge test`\n")
                .append("and so of CI) on ").append(LocalDate.now()).append(", ")
                .append(machine()).append("; the whole run took ").append(minutes(took)).append(".\n\n");
        md.append("""
                **Set-up.** Every service as its own JVM from its runnable jar, two gateway nodes, a Kafka broker
                (KRaft) and PostgreSQL (as it reported: %s) as processes of their own, all watched
                by the run command's supervisor, which restarts whatever dies (same command line, same ports);
                the suite itself never restarts anything. %d users with %d devices each, the devices of a user
                spread over both nodes, send %s events/s together through `device-client`; each device keeps a
                session open by itself (reconnecting with back-off after any close), catches up after each
                handshake with the replay the protocol gives it (from its acknowledged position), replays again
                on a gap in `seq`, acknowledges what it has, and resends an unanswered event (same `event_id` and
                `device_seq`) on its next session or after `retry_after_ms`.

                **Faults**, one at a time, each after %d s of steady traffic: SIGKILL of a process (the
                supervisor restarts it); SIGSTOP of Kafka or of every PostgreSQL process for %d s, then SIGCONT
                (unreachable: connections stay open and nothing answers); SIGKILL of a gateway node whose
                devices then connect to the other node.

                **Checks** over every event first sent during the fault's phase (from %d s before the fault
                until every device has caught up afterwards): every acknowledged event (an `event_ack` received
                by its sender) is had by every other device of its user, live or by replay, under the `seq` of
                its ack, and no event is stored under two `seq`s nor two events under one; each device ends up
                with its user's `seq`s 1..head without a gap, live deliveries on a session come in increasing
                `seq`, and replay pages too; no device ever gets another user's event (payloads carry their
                user). Then every user's whole stored log is read back (a replay from `seq` 0): it must hold
                `seq` 1..head without a gap, only the user's events, each once, and every event acknowledged so
                far, in any phase, at the `seq` of its ack (so an event lost from storage after it was delivered
                counts too). *Lost* and *stored twice* must be 0. Finally the system must recover with no step
                but the supervisor's restart: every process ready again, every device caught up.

                **Recovery** is measured from the restarted process being ready (for an outage: from its end;
                for a lost node: from the kill) until both every user has had a fresh round trip (an event first
                sent after that moment, acknowledged to its sender and had by each of the user's other devices)
                and a device outside the traffic could get a token, handshake on each live node and replay.
                *Down* is from the kill to the restarted process being ready (its start-up on this machine, which
                is shared and loaded), or the outage's length.

                """.formatted(durability.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")), settings.users(), settings.devices(), trim(settings.eventsPerSecond()),
                FaultInjectionIT.BEFORE_FAULT_SECONDS, outage.toSeconds(), FaultInjectionIT.BEFORE_FAULT_SECONDS));

        md.append("| fault | sent | acked | checked | lost | stored twice | not stored (rejected) | down | recovery | result |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        row(md, baseline, known);
        long sent = baseline.sent();
        long acked = baseline.acked();
        long checked = baseline.checked();
        long lost = baseline.lost();
        long twice = baseline.storedTwice();
        long rejected = baseline.rejectedForGood();
        for (FaultResult r : results) {
            row(md, r, known);
            sent += r.sent();
            acked += r.acked();
            checked += r.checked();
            lost += r.lost();
            twice += r.storedTwice();
            rejected += r.rejectedForGood();
        }
        md.append(String.format("| **all** | %d | %d | %d | **%d** | %d | %d | | | |%n%n", sent, acked, checked, lost,
                twice, rejected));
        long passed = results.stream().filter(FaultResult::passed).count();
        double slowest = results.stream().filter(r -> r.fault().kind() == FaultInjectionIT.Kind.KILL)
                .map(FaultResult::recoverySeconds).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        md.append(String.format(Locale.ROOT, "**%d of %d faults survived**: %d acknowledged events lost, %d stored twice; "
                + "the slowest recovery after a restart took %.1f s (the issue's bound: 10 s).%n%n", passed,
                results.size(), lost, twice, slowest));
        md.append("""
                *sent*: events first sent during the phase; *acked*: of those, acknowledged to their sender;
                *checked*: acknowledged events checked on every other device of their user; *lost*: acknowledged
                events some other device never had; *stored twice*: an event under two `seq`s or two events
                under one; *not stored*: events the server rejected for good (e.g. `non_monotonic_device_seq`
                for a resend after a later event of the device was stored: never acknowledged, so never
                promised); *down* and *recovery* in seconds, as defined above.

                ## What each fault exercises

                """);
        for (FaultInjectionIT.Fault f : FaultInjectionIT.FAULTS) {
            md.append("- **").append(f.title()).append("** (`").append(f.id()).append("`). ").append(f.exercises())
                    .append('\n');
        }
        md.append("""

                ## The guarantees

                - An `event_ack` is sent only after the event is committed in PostgreSQL (relay-service produces
                  it from `events.stored`, which event-service writes after its commit), so an acknowledged event
                  survives any single crash; with `fsync` and `synchronous_commit` on it survives a power cut too.
                - A lost ack is not a lost event: the device resends with the same `event_id` and `device_seq` and
                  gets `duplicate` with the original `seq`. Dedup by `event_id` makes every retry safe, which is
                  why no event is ever stored twice.
                - A lost live delivery is not a lost event: every device replays from its acknowledged position
                  after each handshake and on any gap in `seq`, so what it misses live it gets by replay.
                - Order is per user: one partition and one writer per user assign the gapless `seq`; a session
                  never gets a `seq` at or below the last it got.

                ## What the suite found

                - **PostgreSQL could not be restarted by the run command.** The embedded library keeps a
                  lock on the data directory for the life of its JVM, so after PostgreSQL died every
                  supervisor restart failed (`OverlappingFileLockException`) and the system stayed without a
                  database. `LocalPostgres.restart` now releases it first (local-runner `LocalPostgresTest`
                  kills the server for real and restarts it).
                - **Resending a refused event under its old `device_seq` can be refused for good.** Under the
                  outages the gateways shed load (`backpressure`) event by event; a device that pipelines
                  may have a later event admitted and stored after an earlier one was refused, and the
                  earlier one's resend is then `non_monotonic_device_seq` (seen once per run or so, as one
                  event "not stored", before the suite's devices did as below). `backpressure` and
                  `rate_limited` are answered before the event is handed over, so it is not stored: the
                  devices resend it under a new `device_seq` (gaps are allowed), which protocol.md §5.3 now
                  says; an `unavailable` event may be stored, so it is resent unchanged (it then answers
                  `duplicate`).
                - Not a fault: with Kafka stopped, the gateway may answer `unavailable` for events that are
                  stored after all (requests already in the broker's socket buffer are taken when it
                  resumes); their resend answers `duplicate` with the original `seq`, as the protocol says.

                ## Per fault

                """);
        for (FaultResult r : results) {
            details(md, r, known);
        }
        details(md, baseline, known);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md.toString());
    }

    private static void row(StringBuilder md, FaultResult r, Set<String> known) {
        md.append(String.format("| %s | %d | %d | %d | %s | %d | %d | %s | %s | %s |%n", r.fault().title(), r.sent(),
                r.acked(), r.checked(), r.lost() == 0 ? "0" : "**" + r.lost() + "**", r.storedTwice(),
                r.rejectedForGood(), r.fault().target() == null ? "" : seconds(r.downSeconds()),
                seconds(r.recoverySeconds()), verdict(r, known)));
    }

    private static String verdict(FaultResult r, Set<String> known) {
        if (r.passed()) {
            return "passed";
        }
        return known.contains(r.fault().id()) ? "**known failure**" : "**failed**";
    }

    private static void details(StringBuilder md, FaultResult r, Set<String> known) {
        md.append("### ").append(r.fault().title()).append(" — ").append(verdict(r, known)).append("\n\n");
        md.append(String.format("- events: %d sent, %d acked, %d checked on every other device, %d lost, %d stored twice, "
                + "%d rejected for good, %d unanswered when checked%n", r.sent(), r.acked(), r.checked(), r.lost(),
                r.storedTwice(), r.rejectedForGood(), r.unresolved()));
        if (r.fault().target() != null) {
            md.append(String.format("- down %s; then every user's round trip after %s and the probe after %s%n",
                    seconds(r.downSeconds()), seconds(r.roundTripSeconds()), seconds(r.probeSeconds())));
        }
        for (String note : r.notes()) {
            md.append("- ").append(note).append('\n');
        }
        if (!r.counters().isEmpty()) {
            md.append("- what the devices saw: ");
            StringBuilder counts = new StringBuilder();
            for (Map.Entry<String, Long> e : r.counters().entrySet()) {
                if (!counts.isEmpty()) {
                    counts.append(", ");
                }
                counts.append(e.getKey()).append(": ").append(e.getValue());
            }
            md.append(counts).append('\n');
        }
        for (Traffic.Violation v : r.violations()) {
            md.append("- **").append(v.check()).append("** ×").append(v.count()).append(", e.g. ")
                    .append(String.join("; ", v.examples())).append('\n');
        }
        for (String e : r.lostExamples()) {
            md.append("- lost: ").append(e).append('\n');
        }
        md.append('\n');
    }

    private static String machine() {
        Runtime rt = Runtime.getRuntime();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%d cores, load average %.1f at the end, Java %s", rt.availableProcessors(),
                load, Runtime.version().feature());
    }

    private static String seconds(Double s) {
        return s == null ? "—" : String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String minutes(Duration d) {
        return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }

    private static String trim(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}
