package dev.pocketbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.pocketbridge.common.codec.Json;

/** Writes {@code benchmarks.md} (for people) and {@code benchmarks.json} (every figure) from a {@link Report}. */
final class ReportWriter {

    private ReportWriter() {
    }

    static void write(Report report, Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("benchmarks.md"), markdown(report), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("benchmarks.json"), json(report) + "\n", StandardCharsets.UTF_8);
    }

    static String json(Report report) {
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
    }

    static String markdown(Report r) {
        StringBuilder md = new StringBuilder();
        md.append("# PocketBridge benchmarks\n\n");
        if (!Report.PASSED.equals(r.status())) {
            md.append("> **").append(Report.ERROR.equals(r.status()) ? "RUN FAILED" : "CHECKS FAILED").append("**: ");
            md.append(Report.ERROR.equals(r.status()) ? "the run stopped with an error" : "correctness checks failed")
                    .append("; the figures of failing workloads are withheld (they are in benchmarks.json, marked"
                            + " `checks_passed: false`).\n");
            if (r.error() != null) {
                md.append(">\n> error: `").append(Markdown.oneLine(r.error())).append("`\n");
            }
            for (String f : r.failures()) {
                md.append(">\n> - ").append(Markdown.oneLine(f)).append('\n');
            }
            md.append('\n');
        }
        md.append("Produced by `").append(r.command()).append("` on ").append(r.generatedAt())
                .append(". Every figure is also in [benchmarks.json](benchmarks.json).\n\n");

        md.append("## Goals\n\n");
        Markdown.table(md, List.of("workload", "goal", "measured", "status"),
                r.goals().stream().map(g -> List.of(g.workload(), g.goal(), g.measured(), Markdown.bold(g.status()))).toList());
        BarePathFigures.summary(md, r.barePath());

        md.append("## Machine and versions\n\n");
        Markdown.table(md, List.of("", ""), Markdown.rows(r.machine(), r.git(), r.versions()));

        md.append("## Settings\n\n");
        Markdown.table(md, List.of("setting", "value"), Markdown.rows(r.settings()));
        if (r.serverLimits() != null && !r.serverLimits().isEmpty()) {
            md.append("Server limits (`GET /api/v1/server-info`): ");
            md.append(String.join(", ", r.serverLimits().entrySet().stream()
                    .map(e -> "`" + e.getKey() + "` " + e.getValue()).toList())).append(".\n\n");
        }

        floor(md, r);
        registration(md, r.registration());
        if (r.w1() != null) {
            md.append("## W1 latency\n\n");
            md.append(String.format(Locale.ROOT, "%d users × %d devices connected; an open-loop schedule sends %s "
                    + "events/s of %d random bytes for %s, spread evenly over users, each from one device of its "
                    + "user (fan-out %d). Latencies run from the scheduled send time, so a late send counts "
                    + "against the system, not hidden by it.\n\n",
                    r.w1().users(), r.w1().devicesPerUser(), Markdown.num(r.w1().targetRate()), r.w1().payloadBytes(),
                    Markdown.secs(r.w1().seconds()), r.w1().devicesPerUser() - 1));
            window(md, r.w1(), true);
            if (r.w1().checksPassed() && r.ratios() != null) {
                Report.Ratios q = r.ratios();
                md.append(String.format(Locale.ROOT, "Over the floor (path floor = %s: p50 %.2f ms, p99 %.2f ms): "
                        + "send→ack p50 ×%s, p99 ×%s; send→delivery p50 ×%s, p99 ×%s; send→ack p50 is ×%s one "
                        + "Kafka round trip and ×%s one commit.\n\n",
                        q.pathFloorDefinition(), q.pathFloorP50Ms(), q.pathFloorP99Ms(), Markdown.x(q.ackP50OverPathFloor()),
                        Markdown.x(q.ackP99OverPathFloor()), Markdown.x(q.deliveryP50OverPathFloor()), Markdown.x(q.deliveryP99OverPathFloor()),
                        Markdown.x(q.ackP50OverKafkaRoundTrip()), Markdown.x(q.ackP50OverCommit())));
            }
        }
        throughput(md, r.w2());
        overload(md, r.overload());
        CpuFigures.bound(md, r);
        BarePathFigures.section(md, r.barePath());
        connections(md, r.w3());
        catchUp(md, r.w4());

        md.append("## Checks\n\n");
        md.append("Checked while measuring: every acked event reaches every other device of its user that was online "
                + "for the whole window (live, or by the replay a device makes when it sees a gap); each session "
                + "receives strictly increasing seqs; no device receives another user's event (payloads carry a "
                + "marker with the user id, which the server never reads); one seq per event and one event per seq; "
                + "no rejected event is stored; a resend of an event answered `unavailable` comes back `duplicate` "
                + "with its seq, or `stored` once; W4's device gets exactly seq 1..N in order.\n\n");
        Markdown.table(md, List.of("workload", "checks", "violations"), List.of(
                checkRow("W1", r.w1() == null ? null : r.w1().checksPassed(), r.w1() == null ? null : r.w1().violations()),
                checkRow("W2", r.w2() == null ? null : r.w2().checksPassed(), r.w2() == null ? null : r.w2().violations()),
                checkRow("overload", r.overload() == null ? null : r.overload().window().checksPassed(),
                        r.overload() == null ? null : r.overload().window().violations()),
                checkRow("W4", r.w4() == null ? null : r.w4().checksPassed(), r.w4() == null ? null : r.w4().violations())));
        if (!r.notes().isEmpty()) {
            md.append("## Notes\n\n");
            for (String n : r.notes()) {
                md.append("- ").append(n).append('\n');
            }
            md.append('\n');
        }
        md.append("## Method\n\n");
        md.append(String.format(Locale.ROOT, """
                - The bench drives the system only as devices do, through `device-client` (REST registration and \
                pairing, the WebSocket handshake, events, acks, replay). It runs in its own JVM; the system runs \
                as `./pocketbridge run` starts it (or is the one at `--server`).
                - Open loop: each event has a scheduled send time; senders (one per group of users, so a device's \
                `device_seq`s stay in order) send when it is due whatever the answers do. Latency = arrival of the \
                `event_ack` (or of the delivery on each receiving device) − scheduled time. "client send lag" is \
                how late the client itself was; if its p99 is more than a few ms the client, not the system, limited \
                the run.
                - Each frame is timestamped as the client decodes it, on the client's connection thread \
                (`DeviceSession.handleFrames`); the sessions take turns over %d HTTP clients, each reading on a \
                selector thread of its own; histograms are HdrHistogram (3 significant digits). The bench JVM \
                runs ZGC so that its own pauses stay far below the latencies it measures; "the bench's own CPU" shows \
                how much of the machine it took from the system.
                - CPU by process (when the system runs on this machine): user + system time from `/proc/<pid>/stat` \
                at a window's start and once it has drained, for each service JVM, the broker and PostgreSQL (with \
                its backends, live or reaped), found by command line; the machine's busy share from `/proc/stat`.
                - After each window the bench waits until every event is answered and delivered (at most 35 s), \
                replays what devices missed live, and resends up to 100 events answered `unavailable`.
                - W2 probes rates ×1.5 upwards from the W1 rate with short probes (if that fails, ÷2 downwards \
                until one holds, then the geometric middle towards the lowest that did not, until within %s×), \
                each once ten control events are acked within %d ms, then runs the best for the full duration; \
                "held" means checks passed, nothing rejected, unanswered or missed live, and delivery p99 ≤ 100 ms.
                - Overload recovery: seconds from the drop to the start of the first one-second window (by \
                scheduled send time) from which every window of the rest of the run has every event acked, none \
                shed, and ack p99 ≤ 100 ms.
                - W3 memory: the gateway's RSS (`/proc/<pid>/status`) and heap used (`/actuator/prometheus`, \
                after `jcmd <pid> GC.run`) before the sessions open and once they are all open, divided by sessions; \
                the heap's baseline is the lower of the readings before they opened and once they closed again.
                """, Connector.RECEIVING_CLIENTS, ThroughputSearch.BISECT_RATIO, ThroughputSearch.SETTLED_WITHIN.toMillis()));
        return md.toString();
    }

    private static void floor(StringBuilder md, Report r) {
        Results.Floor f = r.floor();
        if (f == null) {
            return;
        }
        md.append("## Floor\n\n");
        md.append("The same broker and database alone, in the same run: one 1 KiB record at a time, producer "
                + "`acks=all` to a consumer on a fresh one-partition topic; one-row INSERT + COMMIT in a scratch "
                + "database with the event log's durability settings.\n\n");
        List<List<String>> rows = new java.util.ArrayList<>();
        if (f.kafka() != null) {
            if (f.kafka().error() != null) {
                rows.add(List.of("Kafka " + f.kafka().bootstrap(), "not measured: " + Markdown.oneLine(f.kafka().error()), "", "", "", ""));
            } else {
                rows.add(latencyRow("Kafka produce (acks=all)", f.kafka().produceAck()));
                rows.add(latencyRow("Kafka produce → consume", f.kafka().roundTrip()));
            }
        }
        if (f.postgres() != null) {
            if (f.postgres().error() != null) {
                rows.add(List.of("PostgreSQL " + f.postgres().address(), "not measured: " + Markdown.oneLine(f.postgres().error()),
                        "", "", "", ""));
            } else {
                rows.add(latencyRow("PostgreSQL INSERT + COMMIT", f.postgres().commit()));
            }
        }
        Markdown.table(md, List.of("", "samples", "p50", "p99", "p99.9", "max"), rows);
        if (f.postgres() != null && f.postgres().error() == null) {
            md.append(String.format(Locale.ROOT, "PostgreSQL %s: `fsync` = %s, `synchronous_commit` = %s, "
                    + "`wal_sync_method` = %s, `shared_buffers` = %s.\n\n", f.postgres().serverVersion(), f.postgres().fsync(),
                    f.postgres().synchronousCommit(), f.postgres().walSyncMethod(), f.postgres().sharedBuffers()));
        }
    }

    private static void registration(StringBuilder md, Results.Registration g) {
        if (g == null) {
            return;
        }
        md.append("## Registration\n\n");
        if (g.devicesRegistered() == 0) {
            md.append(String.format(Locale.ROOT, "All %,d devices were registered by earlier runs (kept in `%s`).\n\n",
                    g.devicesNeeded(), g.store()));
            return;
        }
        md.append(String.format(Locale.ROOT, "%,d devices needed, %,d reused from earlier runs, %,d registered in "
                + "%.1f s: **%.1f devices/s** (per device p50 %s, p99 %s; a user's first device registers alone, "
                + "the others pair with it). Kept in `%s`.\n\n", g.devicesNeeded(), g.devicesReused(),
                g.devicesRegistered(), g.seconds(), g.devicesPerSecond(), LoadEngine.ms(g.perDevice().p50Ms()),
                LoadEngine.ms(g.perDevice().p99Ms()), g.store()));
    }

    private static void window(StringBuilder md, Results.Window w, boolean figures) {
        if (!w.checksPassed()) {
            md.append("**CHECKS FAILED** — figures withheld:\n\n");
            violations(md, w.violations());
            md.append(String.format(Locale.ROOT, "(sent %,d, acked %,d, rejected %s, unanswered %,d.)\n\n", w.sent(),
                    w.acked(), w.rejectedByCode(), w.unanswered()));
            return;
        }
        Markdown.table(md, List.of("", "count", "p50", "p90", "p99", "p99.9", "max"), List.of(
                latencyRow7("send → event_ack", w.ack()),
                latencyRow7("send → delivery (per receiving device)", w.delivery()),
                latencyRow7("client send lag", w.clientSendLag())));
        Markdown.table(md, List.of("events", ""), List.of(
                List.of("sent", String.format(Locale.ROOT, "%,d (%s/s; target %s/s)", w.sent(), Markdown.num(w.sentRate()),
                        Markdown.num(w.targetRate()))),
                List.of("acked", String.format(Locale.ROOT, "%,d (%s/s)%s", w.acked(), Markdown.num(w.ackedRate()),
                        w.ackedDuplicate() > 0 ? ", " + w.ackedDuplicate() + " as duplicate" : "")),
                List.of("rejected", w.rejected() == 0 ? "0" : String.format(Locale.ROOT, "%,d %s", w.rejected(), w.rejectedByCode())),
                List.of("unanswered", String.format(Locale.ROOT, "%,d%s", w.unanswered(),
                        w.sendFailed() > 0 ? " (+" + w.sendFailed() + " whose send failed)" : "")),
                List.of("deliveries", String.format(Locale.ROOT, "%,d expected, %,d live, %,d by replay, %,d missing",
                        w.deliveriesExpected(), w.deliveredLive(), w.deliveredByReplay(), w.missing())),
                List.of("resends of unavailable", w.resend().attempted() == 0 ? "none needed"
                        : String.format(Locale.ROOT, "%d: %d duplicate, %d stored, %d inconclusive %s", w.resend().attempted(),
                                w.resend().duplicate(), w.resend().stored(), w.resend().inconclusive(),
                                w.resend().other().isEmpty() ? "" : w.resend().other())),
                List.of("sessions closed during the window", w.sessionsClosed().isEmpty() ? "none"
                        : w.sessionsClosed().size() + ": " + String.join("; ", w.sessionsClosed().stream().limit(5).toList())),
                List.of("the bench's own CPU", String.format(Locale.ROOT, "%.1f s over %s (%.2f cores)", w.clientCpuSeconds(),
                        Markdown.secs(w.seconds()), w.seconds() <= 0 ? 0 : w.clientCpuSeconds() / w.seconds()))));
        CpuFigures.table(md, w);
        if (w.phases().size() > 1) {
            Markdown.table(md, List.of("phase", "target/s", "sent", "acked", "rejected", "unanswered", "shed", "ack p99", "delivery p99"),
                    w.phases().stream().map(p -> List.of(String.valueOf(p.index()), Markdown.num(p.targetRate()),
                            String.valueOf(p.sent()), String.valueOf(p.acked()), String.valueOf(p.rejectedByCode()),
                            String.valueOf(p.unanswered()), Markdown.pct(p.shedShare()), LoadEngine.ms(p.ack().p99Ms()),
                            LoadEngine.ms(p.delivery().p99Ms()))).toList());
        }
    }

    private static void throughput(StringBuilder md, Results.Throughput t) {
        if (t == null) {
            return;
        }
        md.append("## W2 throughput\n\n");
        if (!t.checksPassed()) {
            md.append("**CHECKS FAILED** — figures withheld:\n\n");
            violations(md, t.violations());
            return;
        }
        md.append(t.heldRate() > 0
                ? String.format(Locale.ROOT, "Highest rate held for %s with delivery p99 ≤ 100 ms and nothing lost: "
                        + "**%s events/s**.\n\n", Markdown.secs(t.confirmed().seconds()), Markdown.num(t.heldRate()))
                : "No rate was held" + (t.note() == null ? "" : ": " + t.note()) + ".\n\n");
        Markdown.table(md, List.of("run", "rate/s", "length", "held", "why", "ack p99", "delivery p99"),
                t.probes().stream().map(p -> List.of(p.confirmation() ? "confirmation" : "probe", Markdown.num(p.rate()),
                        Markdown.secs(p.seconds()), p.held() ? "yes" : "no", p.reason(), LoadEngine.ms(p.ackP99Ms()),
                        LoadEngine.ms(p.deliveryP99Ms()))).toList());
        if (t.confirmed() != null && t.heldRate() > 0) {
            md.append("The confirmation run:\n\n");
            window(md, t.confirmed(), true);
        }
    }

    private static void overload(StringBuilder md, Results.Overload o) {
        if (o == null) {
            return;
        }
        md.append("## Overload\n\n");
        md.append(String.format(Locale.ROOT, "%s events/s (2× the %s) for %s, then %s events/s for %s.\n\n",
                Markdown.num(o.overloadRate()), o.basis(),
                Markdown.secs(o.window().phases().isEmpty() ? 0 : o.window().phases().getFirst().seconds()), Markdown.num(o.baseRate()),
                Markdown.secs(o.window().phases().size() < 2 ? 0 : o.window().phases().get(1).seconds())));
        if (!o.window().checksPassed()) {
            window(md, o.window(), false);
            return;
        }
        Markdown.table(md, List.of("", ""), List.of(
                List.of("shed (rejected backpressure) during the overload", Markdown.pct(o.shedShare())),
                List.of("ack p99 of admitted events during the overload", LoadEngine.ms(o.admittedAck().p99Ms())),
                List.of("unanswered", String.valueOf(o.unanswered())),
                List.of("recovery after the load dropped", o.recoverySeconds() == null ? "not within the run"
                        : String.format(Locale.ROOT, "%.0f s", o.recoverySeconds()))));
        window(md, o.window(), true);
    }

    private static void connections(StringBuilder md, Results.Connections c) {
        if (c == null) {
            return;
        }
        md.append("## W3 connections\n\n");
        md.append(String.format(Locale.ROOT, "%,d authenticated idle sessions against one gateway, %d handshakes in "
                + "flight.\n\n", c.target(), c.concurrency()));
        Markdown.table(md, List.of("", ""), List.of(
                List.of("opened", String.format(Locale.ROOT, "%,d in %.1f s: **%,.0f handshakes/s**", c.opened(), c.seconds(),
                        c.handshakesPerSecond())),
                List.of("handshake time", String.format(Locale.ROOT, "p50 %s, p99 %s, max %s",
                        LoadEngine.ms(c.handshake().p50Ms()), LoadEngine.ms(c.handshake().p99Ms()),
                        LoadEngine.ms(c.handshake().maxMs()))),
                List.of("failed", c.failed() + (c.failures().isEmpty() ? "" : " " + c.failures())),
                List.of("still open after opening all", String.format(Locale.ROOT, "%,d", c.stillOpen())),
                List.of("gateway RSS before → after", Markdown.mib(c.before().rssBytes()) + " → " + Markdown.mib(c.after().rssBytes())),
                List.of("gateway heap used before → all open → closed", Markdown.mib(c.before().heapUsedBytes()) + " → "
                        + Markdown.mib(c.after().heapUsedBytes()) + " → " + Markdown.mib(c.closed().heapUsedBytes())
                        + (c.after().gcForced() ? " (each after a forced GC)" : "")),
                List.of("per session", String.format(Locale.ROOT, "%s RSS, %s live heap (the goal is judged on the larger:"
                        + " RSS misses heap growth into pages already committed, the heap misses native memory)",
                        Markdown.kib(c.rssPerSessionBytes()), Markdown.kib(c.heapPerSessionBytes()))),
                List.of("gateway heap limit", c.gatewayHeapMaxBytes() == null ? "?" : Markdown.mib(c.gatewayHeapMaxBytes())
                        + (c.heapPerSessionBytes() == null || c.heapPerSessionBytes() <= 0 ? "" : String.format(Locale.ROOT,
                                ": room for about %,.0f sessions at this heap per session",
                                (c.gatewayHeapMaxBytes() - c.before().heapUsedBytes()) / c.heapPerSessionBytes()))),
                List.of("the bench JVM's live heap with all sessions open", Markdown.mib(c.clientHeapUsedBytes()))));
        if (c.memoryNote() != null) {
            md.append("Note: ").append(c.memoryNote()).append("\n\n");
        }
    }

    private static void catchUp(StringBuilder md, Results.CatchUp w) {
        if (w == null) {
            return;
        }
        md.append("## W4 catch-up\n\n");
        if (!w.checksPassed()) {
            md.append("**CHECKS FAILED** — figures withheld:\n\n");
            violations(md, w.violations());
            return;
        }
        md.append(String.format(Locale.ROOT, "A fresh user's second device is offline while the first sends %,d events "
                + "(pipelined, at most %d awaiting their ack); then it connects and replays them all in pages of 1000, asked for in "
                + "CBOR as device-client asks (protocol §3.4: binary messages, the ciphertext as bytes), %d times, each "
                + "checked.\n\n",
                w.events(), w.maxInflight(), w.catchUpRates().size()));
        Markdown.table(md, List.of("", ""), List.of(
                List.of("sending", String.format(Locale.ROOT, "%,d events stored in %.1f s (%s/s); %d backpressure, %d resent %s",
                        w.events(), w.sendSeconds(), Markdown.num(w.sendRate()), w.backpressure(), w.resent(),
                        w.rejectedByCode().isEmpty() ? "" : w.rejectedByCode())),
                List.of("warm-up, not the measured figure", w.warmUp() == null ? "none"
                        : String.format(Locale.ROOT, "the offline device replayed the whole log %d times (%,d events) on %d"
                                + " connections of its own in %.0f s: the first time (a cold path) at %s events/s, the last at"
                                + " %s events/s", w.warmUp().passes(), w.warmUp().events(), w.warmUp().connections(),
                                w.warmUp().seconds(),
                                Markdown.num(w.warmUp().firstPassRate()), Markdown.num(w.warmUp().lastPassRate()))),
                List.of("handshake of the offline device", String.format(Locale.ROOT, "%.1f ms", w.handshakeMs())),
                List.of("replay", String.format(Locale.ROOT, "%,d events in %d pages, %.1f MiB, %.2f s",
                        w.replayedEvents(), w.pages(), w.replayedBytes() / 1048576.0, w.replaySeconds())),
                List.of("caught up (connect to last page)", String.format(Locale.ROOT,
                        "%.2f s: **%s events/s**, the median of %d catch-ups of the offline device one after the other"
                                + " (%s events/s, in that order); the rows above are the median one's",
                        w.catchUpSeconds(), Markdown.num(w.eventsPerSecond()), w.catchUpRates().size(),
                        String.join(", ", w.catchUpRates().stream().map(Markdown::num).toList()))),
                List.of("seq 1..N in order, each once", "yes")));
    }

    private static List<String> checkRow(String workload, Boolean passed, List<Violations.Violation> violations) {
        if (passed == null) {
            return List.of(workload, "not run", "");
        }
        return List.of(workload, passed ? "passed" : "**FAILED**", violations == null || violations.isEmpty() ? ""
                : String.join("; ", violations.stream().map(v -> v.check() + " ×" + v.count()).toList()));
    }

    private static void violations(StringBuilder md, List<Violations.Violation> violations) {
        for (Violations.Violation v : violations) {
            md.append(String.format(Locale.ROOT, "- **%s** (%,d): %s\n", v.check(), v.count(), v.description()));
            for (String e : v.examples()) {
                md.append("  - ").append(Markdown.oneLine(e)).append('\n');
            }
        }
        md.append('\n');
    }

    private static List<String> latencyRow(String name, LatencySummary s) {
        return List.of(name, String.valueOf(s.count()), LoadEngine.ms(s.p50Ms()), LoadEngine.ms(s.p99Ms()),
                LoadEngine.ms(s.p999Ms()), LoadEngine.ms(s.maxMs()));
    }

    private static List<String> latencyRow7(String name, LatencySummary s) {
        if (s.isEmpty()) {
            return List.of(name, "0", "-", "-", "-", "-", "-");
        }
        return List.of(name, String.format(Locale.ROOT, "%,d", s.count()), LoadEngine.ms(s.p50Ms()),
                LoadEngine.ms(s.p90Ms()), LoadEngine.ms(s.p99Ms()), LoadEngine.ms(s.p999Ms()), LoadEngine.ms(s.maxMs()));
    }
}
