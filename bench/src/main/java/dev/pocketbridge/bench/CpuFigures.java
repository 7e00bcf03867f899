package dev.pocketbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's CPU figures: what each process took in a window, per event, and what that cost
 * bounds (the most events a second the machine's cores carry at it).
 */
final class CpuFigures {

    private CpuFigures() {
    }

    /** The CPU of one window by process (nothing when it was not measured). */
    static void table(StringBuilder md, Results.Window w) {
        Results.Cpu cpu = w.cpu();
        if (cpu == null || cpu.seconds() <= 0 || w.sent() == 0) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Double> part : cpu.secondsByPart().entrySet()) {
            rows.add(row(part.getKey(), part.getValue(), cpu.seconds(), w.sent()));
        }
        rows.add(row("the bench", w.clientCpuSeconds(), cpu.seconds(), w.sent()));
        rows.add(row("all of these", cpu.systemSeconds() + w.clientCpuSeconds(), cpu.seconds(), w.sent()));
        md.append(String.format(Locale.ROOT, "CPU over the window and its drain (%s; the machine's %d cores were %s busy,"
                + " every process on it counted), per event sent:\n\n", Markdown.secs(LoadEngine.round1(cpu.seconds())),
                cpu.cores(), Markdown.pct(busyShare(cpu))));
        Markdown.table(md, List.of("process", "CPU", "cores", "per event"), rows);
    }

    private static List<String> row(String name, double seconds, double over, long events) {
        return List.of(name, String.format(Locale.ROOT, "%.1f s", seconds), String.format(Locale.ROOT, "%.2f", seconds / over),
                String.format(Locale.ROOT, "%.3f ms", seconds * 1000 / events));
    }

    private static double busyShare(Results.Cpu cpu) {
        return cpu.machineBusyCores() / cpu.cores();
    }

    /**
     * "What bounds W1 and W2": for each window with CPU figures, its cost per event and the rate the
     * machine's cores carry at that cost; then what W2's goal would take at the lowest cost measured.
     */
    static void bound(StringBuilder md, Report r) {
        List<Results.Window> windows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        add(windows, names, "W1", r.w1());
        add(windows, names, "W2 confirmation", r.w2() == null ? null : r.w2().confirmed());
        add(windows, names, "overload", r.overload() == null ? null : r.overload().window());
        if (windows.isEmpty()) {
            return;
        }
        md.append("## What bounds W1 and W2\n\n");
        double least = windows.stream().mapToDouble(w -> busyShare(w.cpu())).min().orElse(0);
        double most = windows.stream().mapToDouble(w -> busyShare(w.cpu())).max().orElse(0);
        String busy = least == most ? Markdown.pct(least) : Markdown.pct(least) + " to " + Markdown.pct(most);
        md.append(String.format(Locale.ROOT, "The CPU of the one machine that runs the system and the bench: it was %s"
                + " busy in these windows. At each window's cost per event, its cores would carry at most the rate shown,"
                + " all of them busy; a latency goal gives way before that, as the events of every hop wait for a core."
                + " A window's CPU includes what the processes do whatever the load (timers, idle polls, the JIT still"
                + " compiling), which weighs most at low rates: there the rate shown is far below what the cores carry."
                + " Per event sent:\n\n", busy));
        List<List<String>> rows = new ArrayList<>();
        double lowest = Double.MAX_VALUE;
        int cores = 0;
        for (int i = 0; i < windows.size(); i++) {
            Results.Window w = windows.get(i);
            Results.Cpu cpu = w.cpu();
            double system = cpu.systemSeconds() * 1000 / w.sent();
            double bench = w.clientCpuSeconds() * 1000 / w.sent();
            lowest = Math.min(lowest, system);
            cores = cpu.cores();
            rows.add(List.of(names.get(i), Markdown.num(w.targetRate()), Markdown.pct(busyShare(cpu)),
                    String.format(Locale.ROOT, "%.3f ms", system), String.format(Locale.ROOT, "%.3f ms", bench),
                    String.format(Locale.ROOT, "%,.0f/s", cpu.cores() * 1000 / (system + bench)),
                    String.format(Locale.ROOT, "%,.0f/s", cpu.cores() * 1000 / system)));
        }
        Markdown.table(md, List.of("window", "rate/s", "machine busy", "the system's CPU", "the bench's",
                "at that cost, the cores carry at most", "without the bench"), rows);
        md.append(String.format(Locale.ROOT, "At the lowest cost per event measured here (%.3f ms of the system's), "
                + "%,.0f events/s would take %.1f cores for the system alone and %,.0f events/s %.1f; this machine has %d. "
                + "A batch carries more events as the rate rises, so the cost per event falls with it (compare the rows "
                + "above). Each window's CPU by process is in its section; where the time goes within them: "
                + "docs/performance.md; what the parts cost without the services: the bare path (`--workloads bare`).\n\n",
                lowest, (double) Report.W2_TO_CLOSE, Report.W2_TO_CLOSE * lowest / 1000, Report.W2_RATE,
                Report.W2_RATE * lowest / 1000, cores));
    }

    private static void add(List<Results.Window> windows, List<String> names, String name, Results.Window w) {
        if (w != null && w.checksPassed() && w.cpu() != null && w.sent() > 0) {
            windows.add(w);
            names.add(name);
        }
    }
}
