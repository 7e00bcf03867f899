package dev.pocketbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CPU time the system's processes on this machine spend in a window, read from {@code /proc}
 * at its start and end: each service JVM, the Kafka broker, PostgreSQL, and the machine as a whole.
 * The processes are found by their command lines among every process on this machine, when the
 * server is on its loopback (a system the bench starts is); elsewhere (or without {@code /proc})
 * nothing is measured.
 * <p>
 * A process counts with what it has reaped (its children's time once they ended) and its live
 * descendants: PostgreSQL's backends and autovacuum workers are the postmaster's children. So a
 * backend that ends in the window counts its time in the window, not before it. A process that
 * starts in the window (a service the run command restarted) counts its whole life; one that ends
 * in it, nothing.
 */
final class SystemCpu {

    /** What the report calls each part of the system, in the order it lists them. */
    static final List<String> PARTS = List.of("gateway-service", "event-service", "relay-service", "device-service",
            "auth-service", "Kafka broker", "PostgreSQL");
    /** {@code /proc}'s clock ticks per second (Linux's USER_HZ, 100 on every architecture it runs on). */
    private static final double TICKS_PER_SECOND = 100;
    /** PostgreSQL's postmaster: its backends retitle themselves ("postgres: checkpointer") and have no -D. */
    private static final Pattern POSTMASTER = Pattern.compile("(^|/)postgres\\s+(.*\\s)?-D\\s");
    private static final Path PROC = Path.of("/proc");
    static final SystemCpu NONE = new SystemCpu(null);

    /** Where to look for the system's processes; null: nothing is measured. */
    private final Supplier<Stream<ProcessHandle>> candidates;

    private SystemCpu(Supplier<Stream<ProcessHandle>> candidates) {
        this.candidates = candidates;
    }

    /**
     * For a system on this machine: one the bench started, or one at --server on its loopback; else
     * {@link #NONE}. Every process on the machine is a candidate, not only the runner's descendants:
     * the PostgreSQL the runner starts is detached from it ({@code pg_ctl} starts the postmaster).
     */
    static SystemCpu of(SystemUnderTest sut) {
        return Files.isReadable(PROC.resolve("stat")) && onThisMachine(sut.server) ? new SystemCpu(ProcessHandle::allProcesses)
                : NONE;
    }

    /** For these processes and their descendants (tests). */
    static SystemCpu of(Supplier<Stream<ProcessHandle>> candidates) {
        return new SystemCpu(candidates);
    }

    private static boolean onThisMachine(URI server) {
        try {
            return server.getHost() != null && InetAddress.getByName(server.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The moment a window starts or ends. */
    record Snapshot(long nanos, Map<Long, Root> roots, long machineBusyTicks, long machineTicks) {
    }

    /** One process of the system with its CPU ticks (its own, what it reaped, its live descendants'). */
    record Root(String part, long ticks) {
    }

    Snapshot snapshot() {
        Map<Long, Root> roots = new HashMap<>();
        if (candidates != null) {
            try (Stream<ProcessHandle> processes = candidates.get()) {
                long self = ProcessHandle.current().pid();
                processes.filter(p -> p.pid() != self).forEach(p -> {
                    String part = p.info().commandLine().map(SystemCpu::part).orElse(null);
                    if (part != null) {
                        long ticks = ticks(p.pid(), true) + p.descendants().mapToLong(d -> ticks(d.pid(), false)).sum();
                        roots.put(p.pid(), new Root(part, ticks));
                    }
                });
            }
        }
        long[] machine = machineTicks();
        return new Snapshot(System.nanoTime(), roots, machine[0], machine[1]);
    }

    /** The CPU seconds of each part between two snapshots; null when nothing was measured. */
    Results.Cpu between(Snapshot start, Snapshot end) {
        if (candidates == null || end.machineTicks() <= start.machineTicks()) {
            return null;
        }
        Map<String, Double> byPart = new LinkedHashMap<>();
        PARTS.forEach(part -> byPart.put(part, 0.0));
        end.roots().forEach((pid, root) -> {
            Root before = start.roots().get(pid);
            long ticks = before == null ? root.ticks() : Math.max(0, root.ticks() - before.ticks());
            byPart.merge(root.part(), ticks / TICKS_PER_SECOND, Double::sum);
        });
        byPart.replaceAll((part, seconds) -> round2(seconds));
        int cores = Runtime.getRuntime().availableProcessors();
        double busy = (double) (end.machineBusyTicks() - start.machineBusyTicks()) / (end.machineTicks() - start.machineTicks());
        return new Results.Cpu((end.nanos() - start.nanos()) / 1e9, byPart, round2(busy * cores), cores);
    }

    private static double round2(double x) {
        return Math.round(x * 100) / 100.0;
    }

    /** The part of the system a command line runs, or null. */
    static String part(String commandLine) {
        if (commandLine.contains("java")) {
            for (String service : PARTS) {
                if (service.endsWith("-service") && commandLine.contains(service)) {
                    return service;
                }
            }
            if (commandLine.contains("kafka.Kafka")) {
                return "Kafka broker";
            }
        }
        return POSTMASTER.matcher(commandLine).find() ? "PostgreSQL" : null;
    }

    private static long ticks(long pid, boolean withReaped) {
        try {
            return ticks(Files.readString(PROC.resolve(String.valueOf(pid)).resolve("stat")), withReaped);
        } catch (IOException | RuntimeException e) {
            return 0; // it ended
        }
    }

    /**
     * utime + stime of a {@code /proc/<pid>/stat} line, with cutime + cstime (its children's once
     * reaped) if asked; fields 14 to 17, counted after the command name, which may hold spaces.
     */
    static long ticks(String stat, boolean withReaped) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return withReaped ? own + Math.max(0, Long.parseLong(f[13])) + Math.max(0, Long.parseLong(f[14])) : own;
    }

    /** The machine's busy and total ticks over every core ({@code /proc/stat}'s first line); idle and iowait are not busy. */
    static long[] machineTicks(String procStatFirstLine) {
        String[] f = procStatFirstLine.trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) {
                idle += v;
            }
        }
        return new long[] {total - idle, total};
    }

    private static long[] machineTicks() {
        try (Stream<String> lines = Files.lines(PROC.resolve("stat"))) {
            return lines.findFirst().map(SystemCpu::machineTicks).orElse(new long[2]);
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }
}
