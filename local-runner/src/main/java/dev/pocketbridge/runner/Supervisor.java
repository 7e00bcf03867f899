package dev.pocketbridge.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Keeps the run command's processes running: one that exits or is killed is started again after
 * a back-off that doubles while it keeps failing (reset once it has stayed up for a while), and it
 * is said which one, why, and when it is ready again. The others keep running and keep their
 * sessions. {@link #stop()} ends supervision before the processes are stopped, so an intended stop
 * is never mistaken for a crash.
 */
public final class Supervisor {

    /** Something the supervisor can check and start again: a child JVM, or PostgreSQL. */
    public interface Running {

        boolean isAlive();

        /** Why it ended, for the log line: an exit code or a signal. */
        String exitDescription();

        /** The last lines of its log. */
        String tail(int lines);
    }

    /** Starts (or starts again) one supervised process. */
    @FunctionalInterface
    public interface Starter {
        Running start() throws IOException, InterruptedException;
    }

    /**
     * @param initialBackoff wait before the first restart
     * @param maxBackoff     the longest wait between restarts of a process that keeps failing
     * @param stableAfter    a process up this long counts as healthy again: its back-off resets
     * @param poll           how often processes are checked
     */
    public record Policy(Duration initialBackoff, Duration maxBackoff, Duration stableAfter, Duration poll) {

        public static Policy defaults() {
            return new Policy(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60),
                    Duration.ofMillis(500));
        }
    }

    private final Policy policy;
    private final PrintStream out;
    private final List<Unit> units = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    public Supervisor(Policy policy, PrintStream out) {
        this.policy = policy;
        this.out = out;
    }

    /**
     * Supervises a process that is already running.
     *
     * @param ready true once it serves again after a restart (for the "ready again" line); may be
     *              {@code () -> true}
     */
    public void supervise(String name, Running running, Starter starter, BooleanSupplier ready) {
        units.add(new Unit(name, running, starter, ready));
    }

    /** Ends supervision: from now on nothing is restarted. */
    public void stop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    /** The current process of {@code name} (a restart replaces it). */
    public Running current(String name) {
        return units.stream().filter(u -> u.name.equals(name)).findFirst()
                .map(u -> u.running).orElseThrow(() -> new IllegalArgumentException(name));
    }

    /** How often {@code name} has been restarted. */
    public int restarts(String name) {
        return units.stream().filter(u -> u.name.equals(name)).findFirst()
                .map(u -> u.restarts).orElseThrow(() -> new IllegalArgumentException(name));
    }

    /** Checks and restarts until {@link #stop()}; runs on the caller's thread. */
    public void run() throws InterruptedException {
        while (!stopping) {
            long now = System.nanoTime();
            for (Unit unit : units) {
                unit.check(now);
            }
            Thread.sleep(policy.poll().toMillis());
        }
    }

    private enum State { RUNNING, DOWN, RESTARTED }

    private final class Unit {

        final String name;
        final Starter starter;
        final BooleanSupplier ready;
        volatile Running running;
        volatile int restarts;
        State state = State.RUNNING;
        long startedAt = System.nanoTime();
        Duration backoff = policy.initialBackoff();
        /** When it was first found dead in the current outage. */
        long downSince;
        long restartAt;

        Unit(String name, Running running, Starter starter, BooleanSupplier ready) {
            this.name = name;
            this.running = running;
            this.starter = starter;
            this.ready = ready;
        }

        void check(long now) {
            if (stopping) {
                return;
            }
            if (state == State.DOWN) {
                if (now >= restartAt) {
                    restart(now);
                }
                return;
            }
            if (!running.isAlive()) {
                if (state == State.RUNNING) {
                    downSince = now;
                }
                state = State.DOWN;
                restartAt = now + backoff.toNanos();
                say(name + " stopped unexpectedly (" + running.exitDescription() + "); restarting it in "
                        + seconds(backoff) + ". Its last log lines:\n" + indent(running.tail(12)));
                next();
                return;
            }
            if (state == State.RESTARTED && ready.getAsBoolean()) {
                say(name + " is ready again, " + seconds(Duration.ofNanos(now - downSince)) + " after it stopped");
                state = State.RUNNING;
            }
            if (state == State.RUNNING && now - startedAt >= policy.stableAfter().toNanos()) {
                backoff = policy.initialBackoff();
            }
        }

        private void restart(long now) {
            restarts++;
            try {
                running = starter.start();
            } catch (IOException | RuntimeException e) {
                restartAt = now + backoff.toNanos();
                say("restarting " + name + " failed (" + e.getMessage() + "); next try in " + seconds(backoff));
                next();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            startedAt = now;
            state = State.RESTARTED;
            say("restarted " + name + " (restart " + restarts + ")");
        }

        /** Doubles the back-off for the next failure, up to the maximum. */
        private void next() {
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : doubled;
        }
    }

    private void say(String message) {
        out.println("[pocketbridge] " + message);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static String indent(String text) {
        return text.isEmpty() ? "    (empty)" : "    " + text.replace("\n", "\n    ");
    }
}
