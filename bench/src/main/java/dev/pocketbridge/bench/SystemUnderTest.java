package dev.pocketbridge.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The system the bench measures: either started here exactly as {@code ./pocketbridge run} starts
 * it (LocalRunner as a child JVM, so the system's CPU and memory are not the bench's; it stops
 * with SIGTERM at the end, or when the bench is interrupted), or one already running at {@code --server}.
 */
final class SystemUnderTest implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofMinutes(5);
    /**
     * The bench registers and drives thousands of devices from this one address, as no real client
     * does, and W4 sends from one device as fast as it can: the per-address, per-user, per-device
     * and pairing-lookup limits (docs/operations.md) are lifted for the system it starts (Spring's
     * relaxed binding reads them from the environment). A system measured with --server must be
     * started with the same.
     */
    static final Map<String, String> UNLIMITED = Map.of(
            "POCKETBRIDGE_GATEWAY_SESSION_RATELIMITS_HANDSHAKESPERADDRESS", "1000000000",
            "POCKETBRIDGE_GATEWAY_SESSION_RATELIMITS_EVENTSPERDEVICE", "1000000000",
            "POCKETBRIDGE_GATEWAY_RATELIMITS_CHALLENGE", "1000000000",
            "POCKETBRIDGE_GATEWAY_RATELIMITS_REGISTER", "1000000000",
            "POCKETBRIDGE_GATEWAY_RATELIMITS_TOKEN", "1000000000",
            "POCKETBRIDGE_GATEWAY_RATELIMITS_REFRESH", "1000000000",
            "POCKETBRIDGE_GATEWAY_RATELIMITS_PAIRINGLOOKUP", "1000000000",
            "POCKETBRIDGE_DEVICE_PAIRING_LOOKUPLIMIT", "1000000000",
            "POCKETBRIDGE_WEB_RATELIMITS_PERUSER", "1000000000");
    /** LocalRunner's own limit, with time to spare: services that record their AOT caches write them as they stop. */
    private static final Duration STOP_LIMIT = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final URI server;
    private final Process runner;
    private final Path runnerLog;
    private Thread shutdownHook;

    private SystemUnderTest(URI server, Process runner, Path runnerLog) {
        this.server = server;
        this.runner = runner;
        this.runnerLog = runnerLog;
    }

    static SystemUnderTest attach(URI server) {
        if (!healthy(server)) {
            throw new IllegalStateException(server + "/health does not answer 200: is the system running?");
        }
        return new SystemUnderTest(server, null, null);
    }

    /** Starts LocalRunner from {@code root}'s local-runner build, as the run command does, and waits for /health. */
    static SystemUnderTest start(Path root) throws IOException, InterruptedException {
        URI server = URI.create("http://localhost:8080");
        if (portOpen(8080)) {
            throw new IllegalStateException("port 8080 is in use: is PocketBridge already running? "
                    + "Stop it, or measure it with --server http://localhost:8080");
        }
        Path lib = root.resolve("local-runner/target/lib");
        Path jar = root.resolve("local-runner/target/local-runner.jar");
        if (!Files.isDirectory(lib) || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + " or " + lib + ": build first (./pocketbridge bench does)");
        }
        Path logs = root.resolve(".data/logs");
        Files.createDirectories(logs);
        Path log = logs.resolve("bench-runner.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", jar + ":" + lib + "/*",
                "dev.pocketbridge.runner.LocalRunner", root.toString()));
        // The services inherit LocalRunner's environment.
        builder.environment().putAll(UNLIMITED);
        Process process = builder
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        SystemUnderTest sut = new SystemUnderTest(server, process, log);
        sut.shutdownHook = new Thread(sut::stopRunner, "bench-stop-system");
        Runtime.getRuntime().addShutdownHook(sut.shutdownHook);
        Console.say("starting the system (LocalRunner pid " + process.pid() + ", log " + root.relativize(log) + ")");
        long t0 = System.nanoTime();
        long deadline = t0 + START_LIMIT.toNanos();
        while (!healthy(server)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the system did not start (LocalRunner exited " + process.exitValue()
                        + "); see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the system is not healthy after " + START_LIMIT.toMinutes()
                        + " min; see " + log);
            }
            Thread.sleep(500);
        }
        Console.say(String.format("the system is up in %.0f s", (System.nanoTime() - t0) / 1e9));
        return sut;
    }

    boolean started() {
        return runner != null;
    }

    /**
     * The gateway's process id: {@code explicit}, else the gateway JVM among the runner's children,
     * else the one java process on this machine whose command line names gateway-service.
     */
    Optional<Long> gatewayPid(Long explicit) {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        if (runner != null) {
            return runner.toHandle().descendants().filter(SystemUnderTest::isGateway).map(ProcessHandle::pid).findFirst();
        }
        List<Long> candidates = ProcessHandle.allProcesses().filter(SystemUnderTest::isGateway)
                .map(ProcessHandle::pid).toList();
        return candidates.size() == 1 ? Optional.of(candidates.getFirst()) : Optional.empty();
    }

    private static boolean isGateway(ProcessHandle p) {
        return p.info().commandLine().map(c -> c.contains("gateway-service") && c.contains("java")).orElse(false);
    }

    static boolean healthy(URI server) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(server + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (runner == null) {
            return;
        }
        stopRunner();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    /** SIGTERM to the runner, which stops the services, Kafka and PostgreSQL; then, if need be, SIGKILL. */
    private synchronized void stopRunner() {
        if (runner == null || !runner.isAlive()) {
            return;
        }
        Console.say("stopping the system");
        List<ProcessHandle> children = runner.toHandle().descendants().toList();
        runner.destroy();
        try {
            if (!runner.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                Console.warn("LocalRunner did not stop in " + STOP_LIMIT.toSeconds() + " s: killing it and its children");
                runner.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroy();
                    child.onExit().get(30, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
        Console.say("stopped (log " + runnerLog + ")");
    }
}
