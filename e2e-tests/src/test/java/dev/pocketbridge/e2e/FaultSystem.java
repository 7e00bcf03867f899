package dev.pocketbridge.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

import dev.pocketbridge.runner.ChildProcess;
import dev.pocketbridge.runner.Layout;
import dev.pocketbridge.runner.LocalKafka;
import dev.pocketbridge.runner.LocalPostgres;
import dev.pocketbridge.runner.Supervisor;
import dev.pocketbridge.testsupport.FreePorts;
import dev.pocketbridge.testsupport.SharedPostgres;

/**
 * The system of the fault suite: a Kafka broker and a durable PostgreSQL that are processes of
 * their own (the run command's {@link LocalKafka} and {@link LocalPostgres}, on free ports, with
 * their data under {@code e2e-tests/target/faults}), every service as its own JVM
 * ({@link RunningSystem}, two gateway nodes), and the run command's {@link Supervisor} watching all
 * of them: a process killed here is started again by the supervisor, with the same command line
 * and ports, exactly as {@code ./pocketbridge run} would, not by the suite.
 */
final class FaultSystem implements AutoCloseable {

    static final String KAFKA = "kafka";
    static final String POSTGRES = "postgresql";

    private final Layout layout;
    private final int kafkaPort;
    private final int controllerPort;
    private final int postgresPort;
    private final Supervisor supervisor;
    private final Thread supervision;
    private volatile LocalPostgres postgres;
    private volatile ChildProcess kafka;
    private RunningSystem services;
    /** Stops everything if the test JVM ends without {@link #close()} (e.g. the build is interrupted). */
    private final Thread stopAtExit = new Thread(this::stopAll, "fault-system-stop");

    private FaultSystem(Layout layout, PrintStream out) throws IOException {
        this.layout = layout;
        this.kafkaPort = FreePorts.pick();
        this.controllerPort = FreePorts.pick();
        this.postgresPort = FreePorts.pick();
        this.supervisor = new Supervisor(Supervisor.Policy.defaults(), out);
        this.supervision = Thread.ofPlatform().daemon().name("supervisor").unstarted(() -> {
            try {
                supervisor.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Starts everything from scratch (the data of an earlier run is removed) and begins supervising. */
    static FaultSystem start(PrintStream out) throws Exception {
        Path data = RunningSystem.root().resolve("e2e-tests/target/faults");
        deleteTree(data);
        FaultSystem system = new FaultSystem(Layout.at(RunningSystem.root(), data), out);
        Runtime.getRuntime().addShutdownHook(system.stopAtExit);
        try {
            system.startAll();
            return system;
        } catch (Exception | Error e) {
            system.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        postgres = startPostgres();
        kafka = startKafka();
        awaitPort(KAFKA, kafkaPort, LocalKafka.startTimeout());
        services = RunningSystem.start(layout.data(), new RunningSystem.Infrastructure(
                "127.0.0.1:" + kafkaPort, this::database, List.of(
                        // Every device of the suite connects from this one address, and reconnects at
                        // once after each fault: the per-address handshake limit must not pace them.
                        "--pocketbridge.gateway.session.rate-limits.handshakes-per-address=100000")));
        supervisor.supervise(POSTGRES, postgres, this::startPostgres, () -> portOpen(postgresPort));
        supervisor.supervise(KAFKA, kafka, this::startKafka, () -> portOpen(kafkaPort));
        for (String name : services.names()) {
            supervisor.supervise(name, adopt(name, services.process(name)), () -> adopt(name, services.restart(name)),
                    () -> readyQuietly(name));
        }
        supervision.start();
    }

    private LocalPostgres startPostgres() throws IOException {
        try {
            postgres = postgres != null ? postgres.restart()
                    : LocalPostgres.start(layout.data().resolve("postgres"), postgresPort, List.of(), layout.log(POSTGRES));
            return postgres;
        } catch (SQLException e) {
            throw new IOException("PostgreSQL did not accept connections: " + e.getMessage(), e);
        }
    }

    private ChildProcess startKafka() throws IOException, InterruptedException {
        kafka = LocalKafka.start(layout, kafkaPort, controllerPort);
        return kafka;
    }

    private SharedPostgres.Database database(String name) {
        try {
            return new SharedPostgres.Database(postgres.database(name), "postgres", "postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    private ChildProcess adopt(String name, Process process) {
        return ChildProcess.adopt(name, process, services.log(name));
    }

    RunningSystem services() {
        return services;
    }

    /** Every supervised name: the services, Kafka and PostgreSQL. */
    List<String> names() {
        List<String> names = new ArrayList<>(services.names());
        names.add(KAFKA);
        names.add(POSTGRES);
        return names;
    }

    /** PostgreSQL's durability settings as the server reports them ({@code SHOW}): fsync, synchronous_commit, full_page_writes. */
    Map<String, String> durability() throws SQLException {
        return postgres.settings(List.of("fsync", "synchronous_commit", "full_page_writes"));
    }

    /** The process ids that make up {@code name} now: the JVM, or PostgreSQL's postmaster and its children. */
    List<Long> pids(String name) {
        long main = switch (name) {
            case POSTGRES -> postgres.pid();
            case KAFKA -> kafka.pid();
            default -> services.process(name).pid();
        };
        List<Long> pids = new ArrayList<>();
        pids.add(main);
        ProcessHandle.of(main).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    /** How often the supervisor has started {@code name} again. */
    int restarts(String name) {
        return supervisor.restarts(name);
    }

    /** SIGKILL to the whole of {@code name} at once, as the kernel's OOM killer or a crash would end it. */
    void kill(String name) {
        signal("KILL", pids(name));
    }

    /** SIGSTOP to the whole of {@code name}: it keeps its sockets but answers nothing. */
    List<Long> pause(String name) {
        List<Long> pids = pids(name);
        signal("STOP", pids);
        return pids;
    }

    /** SIGCONT to what {@link #pause} stopped. */
    void resume(List<Long> pids) {
        signal("CONT", pids);
    }

    /**
     * Waits until the supervisor has started {@code name} again after {@code restartsBefore}
     * restarts and the new process is ready (services: readiness 200; Kafka, PostgreSQL: their
     * port accepts connections); returns when that was seen.
     */
    long awaitRestarted(String name, int restartsBefore, Duration timeout) {
        Awaitility.await(name + " restarted by the supervisor and ready").atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> supervisor.restarts(name) > restartsBefore && supervisor.current(name).isAlive()
                        && ready(name));
        return System.nanoTime();
    }

    /** True when {@code name} answers: readiness for a service, an open port for Kafka and PostgreSQL. */
    boolean ready(String name) {
        return switch (name) {
            case KAFKA -> portOpen(kafkaPort);
            case POSTGRES -> portOpen(postgresPort);
            default -> readyQuietly(name);
        };
    }

    /** True when every supervised process is alive and ready. */
    boolean allReady() {
        return names().stream().allMatch(n -> supervisor.current(n).isAlive() && ready(n));
    }

    private boolean readyQuietly(String name) {
        try {
            return services.ready(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void signal(String signal, List<Long> pids) {
        // The shell's own kill: no procps needed on the machine.
        StringBuilder kill = new StringBuilder("kill -" + signal);
        pids.forEach(p -> kill.append(' ').append(p));
        List<String> command = List.of("sh", "-c", kill.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                // A process of the list may have ended on its own meanwhile (a PostgreSQL worker): the others got it.
                System.out.println("[faults] " + kill + ": " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void awaitPort(String name, int port, Duration timeout) {
        Awaitility.await(name + " listening").atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> portOpen(port));
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Ends supervision, then stops the services, Kafka and PostgreSQL (anything paused is resumed first). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the hook runs anyway
        }
        stopAll();
    }

    private synchronized void stopAll() {
        supervisor.stop();
        supervision.interrupt();
        for (String name : List.of(KAFKA, POSTGRES)) {
            try {
                signal("CONT", pids(name));
            } catch (RuntimeException ignored) {
                // not running
            }
        }
        if (services != null) {
            services.stop();
        }
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(20));
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("stopping PostgreSQL: " + e.getMessage());
            }
        }
    }
}
