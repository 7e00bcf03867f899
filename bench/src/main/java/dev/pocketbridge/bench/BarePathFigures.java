package dev.pocketbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report's section on the bare path ({@link BarePath}): its figures, and what they bound. */
final class BarePathFigures {

    /** The rate W1's goal is set at. */
    private static final double W1_RATE = Options.defaults().rate();

    private BarePathFigures() {
    }

    static void section(StringBuilder md, Results.BarePath b) {
        if (b == null) {
            return;
        }
        md.append("## The bare path: the event path's components alone\n\n");
        md.append(String.format(Locale.ROOT, "What the parts the system is built of cost on this machine without the "
                + "services, in the same run, on the same broker and database: %d users × %d devices on the JDK's "
                + "WebSocket client (device-client's) send events of %d random bytes, open loop and round robin, to a "
                + "Reactor Netty server (the gateway's transport), which produces each frame as it arrives to Kafka; a "
                + "consumer inserts each poll's frames into PostgreSQL in one transaction (the event log's "
                + "`synchronous_commit`) and produces them on; a second produces them to a deliveries topic; the "
                + "server's consumer of it sends the sender an ack and the frame to the user's other devices. Three "
                + "Kafka hops and a commit, and no JSON, validation, security or observations: with the system's client "
                + "settings, and at 10,000/s (the W2 rate that closes the issue) also with every hop batching for up to "
                + "20 ms (the edge's producer lingers 20 ms, a hop's fetch waits for 64 KiB or 20 ms), which takes 60 of "
                + "the 100 ms W2 allows. Each rate on a "
                + "pipeline of its own; latencies run from when each event was due, and the send lag is how late its "
                + "device was handed it.\n\n", b.users(), b.devicesPerUser(), b.payloadBytes()));
        if (b.error() != null && b.rates().isEmpty()) {
            md.append("Not measured: ").append(Markdown.oneLine(b.error())).append("\n\n");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Results.BareRate r : b.rates()) {
            Results.Cpu cpu = r.cpu();
            double over = cpu == null ? r.seconds() : cpu.seconds();
            double broker = part(cpu, "Kafka broker");
            double postgres = part(cpu, "PostgreSQL");
            rows.add(List.of(Markdown.num(r.rate()), r.batching(), r.acked() + " of " + r.sent(),
                    r.delivered() + " of " + r.deliveriesExpected(), LoadEngine.ms(r.ack().p50Ms()),
                    LoadEngine.ms(r.ack().p99Ms()), LoadEngine.ms(r.delivery().p99Ms()), LoadEngine.ms(r.sendLag().p99Ms()),
                    cores(r.benchCpuSeconds(), over),
                    cpu == null ? "?" : cores(broker, over), cpu == null ? "?" : cores(postgres, over),
                    cpu == null ? "?" : cores(r.benchCpuSeconds() + broker + postgres, over),
                    cpu == null ? "?" : String.format(Locale.ROOT, "%.2f of %d", cpu.machineBusyCores(), cpu.cores())));
        }
        Markdown.table(md, List.of("rate/s", "settings", "acked", "delivered", "ack p50", "ack p99", "delivery p99",
                "send lag p99", "cores: devices + pipeline (one JVM)", "broker", "PostgreSQL", "all three", "machine busy"), rows);
        if (b.error() != null) {
            md.append("Stopped early: ").append(Markdown.oneLine(b.error())).append("\n\n");
        }
        for (Results.BareRate r : b.rates()) {
            md.append(verdict(r)).append("\n\n");
        }
    }

    /**
     * Under the goals: whether the parts alone, without the services, met W1's latency at its rate
     * (the bare path's first) and held W2's bound at the rate that closes the issue (any settings).
     */
    static void summary(StringBuilder md, Results.BarePath b) {
        if (b == null || b.rates().isEmpty()) {
            return;
        }
        Results.BareRate w1 = b.rates().getFirst();
        boolean w1Met = w1.complete() && withinW1(w1);
        md.append(String.format(Locale.ROOT, "The event path's parts alone, without the services, on this machine (\"The"
                + " bare path\" below): at %s/s they answered with an ack p99 of %s, %s W1's goal%s", Markdown.num(w1.rate()),
                LoadEngine.ms(w1.ack().p99Ms()), w1Met ? "within" : "above",
                w1.rate() == W1_RATE ? "" : " (which W1 sets at " + Markdown.num(W1_RATE) + "/s)"));
        List<Results.BareRate> w2 = b.rates().stream().filter(r -> r.rate() >= Report.W2_TO_CLOSE).toList();
        boolean w2Held = w2.stream().anyMatch(BarePathFigures::heldW2);
        if (!w2.isEmpty()) {
            md.append(String.format(Locale.ROOT, "; at %s/s they %s W2's delivery p99 of %s (%s)", Markdown.num(Report.W2_TO_CLOSE),
                    w2Held ? "held" : "did not hold", LoadEngine.ms(ThroughputSearch.DELIVERY_P99_LIMIT_MS), String.join(", ",
                            w2.stream().map(r -> LoadEngine.ms(r.delivery().p99Ms()) + " with " + r.batching()).toList())));
        }
        md.append(w1Met && (w2.isEmpty() || w2Held) ? ".\n\n"
                : ". A goal the parts alone miss here, no system built of them meets on this machine.\n\n");
    }

    private static boolean withinW1(Results.BareRate r) {
        return r.ack().p99Ms() <= Report.W1_ACK_P99_MS && r.delivery().p99Ms() <= Report.W1_DELIVERY_P99_MS;
    }

    private static boolean heldW2(Results.BareRate r) {
        return r.complete() && r.delivery().p99Ms() <= ThroughputSearch.DELIVERY_P99_LIMIT_MS;
    }

    /** What one rate of the bare path says about the goal at that rate. */
    private static String verdict(Results.BareRate r) {
        String rate = Markdown.num(r.rate()) + "/s with " + r.batching();
        if (!r.complete()) {
            return String.format(Locale.ROOT, "At %s these parts alone fell behind (acked %d of %d, delivered %d of %d"
                    + " by the end of the drain): a system built of them cannot hold this rate on this machine with these"
                    + " settings.", rate, r.acked(), r.sent(), r.delivered(), r.deliveriesExpected());
        }
        boolean w1 = withinW1(r);
        boolean w2 = heldW2(r);
        return String.format(Locale.ROOT, "At %s these parts alone had an ack p99 of %s and a delivery p99 of %s: %s"
                + " W1's goal (%s and %s), %s W2's bound (delivery p99 %s).", rate, LoadEngine.ms(r.ack().p99Ms()),
                LoadEngine.ms(r.delivery().p99Ms()), w1 ? "within" : "above", LoadEngine.ms(Report.W1_ACK_P99_MS),
                LoadEngine.ms(Report.W1_DELIVERY_P99_MS), w2 ? "within" : "above",
                LoadEngine.ms(ThroughputSearch.DELIVERY_P99_LIMIT_MS));
    }

    private static double part(Results.Cpu cpu, String name) {
        return cpu == null ? 0 : cpu.secondsByPart().getOrDefault(name, 0.0);
    }

    private static String cores(double seconds, double over) {
        return String.format(Locale.ROOT, "%.2f", seconds / over);
    }
}
