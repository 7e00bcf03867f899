package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pocketbridge.common.codec.Json;
import tools.jackson.databind.JsonNode;

class ReportWriterTest {

    private static LatencySummary latency(double p50, double p99) {
        return new LatencySummary(1000, p50, p50 * 1.5, p99, p99 * 1.2, p99 * 2, p50);
    }

    private static Results.Window w1(boolean passed, double ackP99, double deliveryP99) {
        List<Violations.Violation> violations = passed ? List.of()
                : List.of(new Violations.Violation(Violations.ORDER, "deliveries out of order", 2,
                        List.of("user 0 device 1: seq 5 after seq 7")));
        return new Results.Window("W1", 2000, 30, 100, 3, 1024, 60_000, 2000, 0, 59_990, 1999.7, 0,
                Map.of("backpressure", 10L), 0, latency(4, ackP99), latency(6, deliveryP99), latency(0.1, 0.5),
                119_980, 119_970, 10, 0, 0, 0, 0, 0, 12.5, cpu(), Results.Resend.NONE, List.of(), Map.of(), List.of(),
                List.of(new Results.SecondStats(0, 2000, 2000, 0, 0, 9.5)), violations, passed);
    }

    /** 48 s of the system's over 30 s: 0.8 ms per event of W1's 60,000. */
    private static Results.Cpu cpu() {
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("gateway-service", 12.0);
        parts.put("event-service", 10.0);
        parts.put("relay-service", 6.0);
        parts.put("device-service", 1.0);
        parts.put("auth-service", 1.0);
        parts.put("Kafka broker", 12.0);
        parts.put("PostgreSQL", 6.0);
        return new Results.Cpu(30, parts, 1.9, 2);
    }

    private static Results.CatchUp w4(boolean passed, double rate) {
        List<Violations.Violation> violations = passed ? List.of()
                : List.of(new Violations.Violation(Violations.CATCH_UP, "not 1..N", 1, List.of("expected seq 7, got 9")));
        return new Results.CatchUp(100_000, 100, 20, 5000, 0, Map.of(), 0, 12, 0.5, 0.6, rate,
                List.of(rate * 0.8, rate * 1.1, rate, rate * 1.2, rate * 0.9), 100, 100_000,
                140_000_000, 100_000, new Results.WarmUp(2_050_000, 20, 10, 60, 25_000, 95_000), violations, passed, null);
    }

    private static Report report(Results.Window w1, Results.CatchUp w4, String error) {
        return report(w1, null, w4, error);
    }

    private static Report report(Results.Window w1, Results.Throughput w2, Results.CatchUp w4, String error) {
        Results.Floor floor = new Results.Floor(
                new Results.KafkaFloor("127.0.0.1:19092", 1000, latency(1, 3), latency(1.5, 4), null),
                new Results.PostgresFloor("127.0.0.1:15432", 1000, latency(0.5, 2), "on", "on", "fdatasync", "512MB", "17.11", null));
        List<String> failures = new java.util.ArrayList<>();
        if (!w1.checksPassed()) {
            failures.add("W1: order ×2");
        }
        if (!w4.checksPassed()) {
            failures.add("W4: catch_up_incomplete ×1");
        }
        String status = error != null ? Report.ERROR : failures.isEmpty() ? Report.PASSED : Report.FAILED;
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", 2);
        machine.put("cpu_model", "Test CPU");
        return new Report("2030-01-01T00:00:00Z", "./pocketbridge bench", status, failures, error, machine,
                Map.of("commit", "abc123"), Map.of("kafka", "4.1.2"), Options.defaults().describe(), Map.of(),
                new Results.Registration(300, 0, 300, 15, 20, latency(300, 900), ".data/bench/x/identities.tsv"),
                floor, bare(), Report.ratios(floor, w1), w1, w2, null, w4, null, Report.goals(w1, w2, null, w4), List.of());
    }

    /** The bare path at 2,000/s (every event through, ack p99 25 ms) and at 10,000/s (behind). */
    private static Results.BarePath bare() {
        Map<String, Double> parts = new LinkedHashMap<>(cpu().secondsByPart());
        parts.put("Kafka broker", 10.0);
        parts.put("PostgreSQL", 2.0);
        return new Results.BarePath(100, 3, 1024, List.of(
                new Results.BareRate(2000, "the system's settings", 20, 40_000, 40_000, 80_000, 80_000, latency(3, 25),
                        latency(3, 26), latency(0.1, 0.5), 8.0,
                        new Results.Cpu(20, parts, 1.2, 2)),
                new Results.BareRate(10_000, "every hop batching for up to 20 ms", 20, 200_000, 150_000, 290_000, 400_000, latency(900, 4000),
                        latency(900, 4100), latency(0.1, 2), 24.0, new Results.Cpu(30, parts, 1.98, 2))), null);
    }

    @Test
    void aPassingRunShowsItsFiguresAndGoals() {
        String md = ReportWriter.markdown(report(w1(true, 15, 40), w4(true, 150_000), null));
        assertThat(md).doesNotContain("FAILED");
        assertThat(md).contains("| W1 | p99 send→event_ack ≤ 20 ms | 15.0 ms | met |");
        assertThat(md).contains("| W1 | p99 send→delivery ≤ 30 ms | 40.0 ms | **not met** |");
        assertThat(md).contains("| W4 | catch-up ≥ 100,000 events/s | 150,000 events/s | met |");
        assertThat(md).as("W4's figure is the median of its catch-ups, each shown").contains("0.60 s: **150,000 events/s**, the"
                + " median of 5 catch-ups of the offline device one after the other (120,000, 165,000, 150,000, 180,000,"
                + " 135,000 events/s, in that order)");
        assertThat(md).as("W4's warm-up shows the cold replay path's rate beside the measured one")
                .contains("| warm-up, not the measured figure | the offline device replayed the whole log 20 times"
                        + " (2,050,000 events) on 10 connections of its own in 60 s: the first time (a cold path) at"
                        + " 25,000 events/s, the last at"
                        + " 95,000 events/s |");
        assertThat(md).contains("| W2 | ≥ 20,000 events/s held 60 s (delivery p99 ≤ 100 ms, nothing lost) | - | **not run** |");
        assertThat(md).contains("| send → event_ack | 1,000 | 4.00 ms |");
        assertThat(md).contains("Kafka produce → consume");
        assertThat(md).contains("`fsync` = on, `synchronous_commit` = on").contains("`shared_buffers` = 512MB");
        assertThat(md).contains("Test CPU");
        assertThat(md).as("the W2 method names the search's own settings").contains("until within 1.2×)",
                "acked within " + ThroughputSearch.SETTLED_WITHIN.toMillis() + " ms,");
        // path floor p50 = 3 × 1.5 + 0.5 = 5 ms; ack p50 4 ms → ×0.8
        assertThat(md).contains("p50 5.00 ms").contains("send→ack p50 ×0.8");
        assertThat(md).contains("**20.0 devices/s**");
    }

    @Test
    void aWindowsCpuIsShownByProcessAndPerEventWithTheRateItBounds() {
        String md = ReportWriter.markdown(report(w1(true, 15, 40), w4(true, 150_000), null));
        String w1Section = md.substring(md.indexOf("## W1 latency"), md.indexOf("## What bounds W1 and W2"));
        assertThat(w1Section).contains("the machine's 2 cores were 95.0 % busy")
                .contains("| gateway-service | 12.0 s | 0.40 | 0.200 ms |")
                .contains("| Kafka broker | 12.0 s | 0.40 | 0.200 ms |")
                .contains("| the bench | 12.5 s | 0.42 | 0.208 ms |")
                .contains("| all of these | 60.5 s | 2.02 | 1.008 ms |");
        // 2 cores / (0.8 + 0.208 ms) = 1,983/s; without the bench 2 / 0.8 ms = 2,500/s
        assertThat(md).contains("it was 95.0 % busy in these windows")
                .contains("| W1 | 2,000 | 95.0 % | 0.800 ms | 0.208 ms | 1,983/s | 2,500/s |")
                .contains("10,000 events/s would take 8.0 cores for the system alone and 20,000 events/s 16.0;"
                        + " this machine has 2.");
    }

    @Test
    void withoutCpuFiguresNothingIsClaimed() {
        Results.Window w = w1(true, 15, 40);
        Results.Window unmeasured = new Results.Window(w.label(), w.targetRate(), w.seconds(), w.users(), w.devicesPerUser(),
                w.payloadBytes(), w.sent(), w.sentRate(), w.sendFailed(), w.acked(), w.ackedRate(), w.ackedDuplicate(),
                w.rejectedByCode(), w.unanswered(), w.ack(), w.delivery(), w.clientSendLag(), w.deliveriesExpected(),
                w.deliveredLive(), w.deliveredByReplay(), w.missing(), w.duplicateDeliveries(), w.outsideWindow(),
                w.earlierRuns(), w.ownEcho(), w.clientCpuSeconds(), null, w.resend(), w.sessionsClosed(), w.sessionErrors(),
                w.phases(), w.perSecond(), w.violations(), w.checksPassed());
        String md = ReportWriter.markdown(report(unmeasured, w4(true, 150_000), null));
        assertThat(md).doesNotContain("What bounds W1 and W2").doesNotContain("per event sent");
    }

    @Test
    void theBarePathShowsWhatThePartsAloneCostAndWhichGoalsTheyAllow() {
        String md = ReportWriter.markdown(report(w1(true, 15, 40), w4(true, 150_000), null));
        String section = md.substring(md.indexOf("## The bare path"), md.indexOf("## W4"));
        // 8 s of the devices and pipeline, 10 s of the broker and 2 s of PostgreSQL over 20 s
        assertThat(section).contains("| 2,000 | the system's settings | 40000 of 40000 | 80000 of 80000 | 3.00 ms | 25.0 ms"
                + " | 26.0 ms | 0.50 ms | 0.40 | 0.50 | 0.10 | 1.00 | 1.20 of 2 |");
        assertThat(section).contains("At 2,000/s with the system's settings these parts alone had an ack p99 of 25.0 ms and a"
                + " delivery p99 of 26.0 ms: above W1's goal (20.0 ms and 30.0 ms), within W2's bound");
        String goals = md.substring(md.indexOf("## Goals"), md.indexOf("## Machine"));
        assertThat(goals).contains("The event path's parts alone, without the services, on this machine (\"The bare path\" below):"
                + " at 2,000/s they answered with an ack p99 of 25.0 ms, above W1's goal; at 10,000/s they did not hold W2's delivery"
                + " p99 of 100 ms (4100 ms with every hop batching for up to 20 ms). A goal the parts alone miss here, no system built"
                + " of them meets on this machine.");
        assertThat(section).contains("At 10,000/s with every hop batching for up to 20 ms these parts alone fell behind (acked"
                + " 150000 of 200000, delivered 290000 of 400000 by the end of the drain): a system built of them cannot hold this"
                + " rate on this machine with these settings.");
    }

    @Test
    void partsThatMeetTheGoalsAloneAreSaidToAndNothingIsConcluded() {
        Results.BareRate w1 = bare().rates().get(0);
        Results.BareRate w2 = bare().rates().get(1);
        Results.BarePath met = new Results.BarePath(100, 3, 1024, List.of(
                new Results.BareRate(2000, w1.batching(), 20, 40_000, 40_000, 80_000, 80_000, latency(3, 10), latency(3, 12),
                        w1.sendLag(), 8.0, w1.cpu()),
                new Results.BareRate(10_000, w2.batching(), 20, 200_000, 200_000, 400_000, 400_000, latency(30, 80),
                        latency(30, 85), w2.sendLag(), 20.0, w2.cpu())), null);
        String md = ReportWriter.markdown(withBare(report(w1(true, 15, 40), w4(true, 150_000), null), met));
        assertThat(md).contains("at 2,000/s they answered with an ack p99 of 10.0 ms, within W1's goal; at 10,000/s they held"
                + " W2's delivery p99 of 100 ms (85.0 ms with every hop batching for up to 20 ms).\n")
                .doesNotContain("no system built of them");
        assertThat(md).contains("At 10,000/s with every hop batching for up to 20 ms these parts alone had an ack p99 of 80.0 ms"
                + " and a delivery p99 of 85.0 ms: above W1's goal (20.0 ms and 30.0 ms), within W2's bound");
    }

    @Test
    void aBarePathAtAnotherRateThanW1sSaysWhereW1SetsItsGoal() {
        Results.BareRate w1 = bare().rates().get(0);
        Results.BarePath slow = new Results.BarePath(5, 3, 1024, List.of(new Results.BareRate(20, w1.batching(), 5, 100, 100,
                200, 200, latency(8, 18), latency(8, 19), w1.sendLag(), 1.0, w1.cpu())), null);
        String md = ReportWriter.markdown(withBare(report(w1(true, 15, 40), w4(true, 150_000), null), slow));
        assertThat(md).contains("at 20/s they answered with an ack p99 of 18.0 ms, within W1's goal (which W1 sets at 2,000/s).\n");
    }

    @Test
    void aBarePathThatCouldNotRunSaysWhy() {
        Report unmeasured = withBare(report(w1(true, 15, 40), w4(true, 150_000), null),
                new Results.BarePath(100, 3, 1024, List.of(), "connection refused"));
        assertThat(ReportWriter.markdown(unmeasured)).contains("## The bare path").contains("Not measured: connection refused")
                .doesNotContain("these parts alone").doesNotContain("parts alone, without the services");
    }

    private static Report withBare(Report r, Results.BarePath bare) {
        return new Report(r.generatedAt(), r.command(), r.status(), r.failures(), r.error(), r.machine(), r.git(), r.versions(),
                r.settings(), r.serverLimits(), r.registration(), r.floor(), bare, r.ratios(), r.w1(), r.w2(), r.w3(), r.w4(),
                r.overload(), r.goals(), r.notes());
    }

    @Test
    void aW2ThatHeldNoRateSaysWhyAndStillShowsItsLastConfirmationsCost() {
        Results.Window last = w1(true, 150, 150);
        Results.Throughput w2 = new Results.Throughput(0, last, List.of(new Results.Probe(1000, 60, false,
                "delivery p99 150 ms", 150, 150, true)), "the probe rates did not hold for the full duration", List.of(), true);
        String md = ReportWriter.markdown(report(w1(true, 15, 40), w2, w4(true, 150_000), null));
        assertThat(md).contains("No rate was held: the probe rates did not hold for the full duration.\n")
                .contains("| W2 confirmation | 2,000 | 95.0 % | 0.800 ms |");
    }

    @Test
    void aFailedCheckIsProminentAndWithholdsThatWorkloadsFigures() {
        String md = ReportWriter.markdown(report(w1(true, 15, 25), w4(false, 150_000), null));
        assertThat(md).startsWith("# PocketBridge benchmarks\n\n> **CHECKS FAILED**");
        assertThat(md).contains("W4: catch_up_incomplete ×1");
        assertThat(md).contains("| W4 | catch-up ≥ 100,000 events/s | - | **invalid (checks failed)** |");
        String w4Section = md.substring(md.indexOf("## W4 catch-up"), md.indexOf("## Checks"));
        assertThat(w4Section).contains("figures withheld").contains("expected seq 7, got 9").doesNotContain("150,000");
        assertThat(md).contains("| W4 | **FAILED** | catch_up_incomplete ×1 |");
        assertThat(md).contains("| W1 | p99 send→event_ack ≤ 20 ms | 15.0 ms | met |");
    }

    @Test
    void aFailedW1WithholdsItsLatencies() {
        String md = ReportWriter.markdown(report(w1(false, 15, 25), w4(true, 150_000), null));
        String w1Section = md.substring(md.indexOf("## W1 latency"), md.indexOf("## W4"));
        assertThat(w1Section).contains("**CHECKS FAILED**").contains("seq 5 after seq 7").doesNotContain("send → event_ack |");
        assertThat(md).contains("| W1 | p99 send→event_ack ≤ 20 ms | - | **invalid (checks failed)** |");
    }

    @Test
    void anErrorIsShownFirst() {
        String md = ReportWriter.markdown(report(w1(true, 15, 25), w4(true, 1), "java.lang.IllegalStateException: boom"));
        assertThat(md).contains("> **RUN FAILED**").contains("boom");
    }

    @Test
    void theJsonHoldsEveryFigure(@TempDir Path dir) throws Exception {
        ReportWriter.write(report(w1(true, 15, 25), w4(false, 150_000), null), dir);
        assertThat(dir.resolve("benchmarks.md")).exists();
        JsonNode json = Json.mapper().readTree(Files.readString(dir.resolve("benchmarks.json")));
        assertThat(json.get("status").asString()).isEqualTo("FAILED");
        assertThat(json.get("w1").get("ack").get("p99_ms").asDouble()).isEqualTo(15.0);
        assertThat(json.get("w1").get("ack").has("empty")).isFalse();
        assertThat(json.get("w1").get("rejected_by_code").get("backpressure").asLong()).isEqualTo(10);
        assertThat(json.get("w1").get("per_second").get(0).get("ack_p99_ms").asDouble()).isEqualTo(9.5);
        assertThat(json.get("w4").get("checks_passed").asBoolean()).isFalse();
        assertThat(json.get("w4").get("events_per_second").asDouble()).isEqualTo(150_000.0);
        assertThat(json.get("floor").get("postgres").get("synchronous_commit").asString()).isEqualTo("on");
        assertThat(json.get("ratios").get("path_floor_p50_ms").asDouble()).isEqualTo(5.0);
        assertThat(json.get("goals").size()).isEqualTo(7);
        assertThat(json.get("settings").get("users").asInt()).isEqualTo(100);
        assertThat(json.get("w1").get("cpu").get("seconds_by_part").get("Kafka broker").asDouble()).isEqualTo(12.0);
        assertThat(json.get("w1").get("cpu").get("machine_busy_cores").asDouble()).isEqualTo(1.9);
    }
}
