package dev.pocketbridge.runner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * The run command: PostgreSQL and Kafka from Maven artifacts, then every service as its own JVM,
 * the gateway on 8080 (all interfaces); the other services and every actuator (management port)
 * only on this machine's loopback. A process that stops is started again ({@link Supervisor});
 * Ctrl-C stops everything in reverse order; the data in {@code .data/} stays.
 */
public final class LocalRunner {

    static final int POSTGRES_PORT = 15432;
    static final int KAFKA_PORT = 19092;
    static final int KAFKA_CONTROLLER_PORT = 19093;

    /** Service modules in start order, with their HTTP ports and their management (actuator) ports. */
    record Service(String module, int port, int managementPort) {

        /** Only the gateway is reachable from other machines. */
        boolean isPublic() {
            return module.equals("gateway-service");
        }
    }

    static final String LOOPBACK = "127.0.0.1";

    static final List<Service> SERVICES = List.of(
            new Service("auth-service", 8081, 9081),
            new Service("device-service", 8082, 9082),
            new Service("event-service", 8083, 9083),
            new Service("relay-service", 8084, 9084),
            new Service("gateway-service", 8080, 9080));

    /** Lets Netty free direct memory with malloc/free (docs/performance.md, "Netty's direct memory on Java 24 and later"). */
    private static final String NETTY_NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /**
     * JVMs sized for one machine running everything (docs/performance.md says why): full JIT (C1
     * alone costs the event path throughput), a heap per service, an exit on
     * {@code OutOfMemoryError} rather than a process that looks alive with a dead thread, and the
     * collector by measurement: the gateway's young collections with the serial collector paused it
     * for 40-80 ms under load (straight into the ack p99), so it runs generational ZGC; the others
     * make little garbage and keep the small serial collector. The gateway (the one service on
     * Netty) also gets native access: on Java 24 and later Netty frees direct memory by closing a
     * shared arena without it, and each close stops every thread of the JVM for a handshake. Each
     * JVM logs its collections, and a crash of its own, beside its output ({@link Layout#jvmLogOptions}).
     */
    private List<String> jvmFlags(String module) {
        List<String> gc = module.equals("gateway-service")
                ? List.of("-Xmx1g", "-XX:+UseZGC", NETTY_NATIVE_ACCESS)
                : List.of("-Xmx384m", "-XX:+UseSerialGC");
        List<String> flags = new ArrayList<>(gc);
        flags.addAll(List.of("-Xss512k", "-XX:+ExitOnOutOfMemoryError"));
        flags.addAll(layout.jvmLogOptions(module));
        return flags;
    }

    /** How often the log files are checked against their cap. */
    private static final Duration LOG_CHECK_INTERVAL = Duration.ofSeconds(10);

    /** How long a service that records its AOT cache may take to stop: five JVMs writing theirs at once took 76 s here. */
    private static final Duration RECORDING_STOP_GRACE = Duration.ofSeconds(180);

    private final Layout layout;
    /** The newest process of each name. */
    private final Map<String, ChildProcess> children = new ConcurrentHashMap<>();
    /** How each service's JVM starts warm, by module. */
    private final Map<String, AotCache> aotCaches = new ConcurrentHashMap<>();
    private final Supervisor supervisor = new Supervisor(Supervisor.Policy.defaults(), System.out);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private LocalPostgres postgres;
    private String replaySecret;
    private String adminPassword;
    private String serviceClientSecret;
    private String analyticsKey;
    /** Set once stopping begins: children exiting from then on are expected. */
    private volatile boolean stopping;
    /** Held while this runner lives: a second run in the same checkout is refused before it touches anything. */
    private RunLock runLock;

    private LocalRunner(Layout layout) {
        this.layout = layout;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        LocalRunner runner = new LocalRunner(Layout.at(root));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.stopAll();
            stopped.countDown();
        }, "pocketbridge-stop"));
        try {
            runner.startAll();
        } catch (Exception e) {
            if (!runner.stopping) {
                System.err.println("\nPocketBridge did not start: " + e.getMessage());
                System.exit(1);
            }
        }
        runner.watch();
    }

    private void startAll() throws Exception {
        long t0 = System.nanoTime();
        runLock = RunLock.acquire(layout.runLock());
        boundLogs();
        for (Service s : SERVICES) {
            if (!Files.isRegularFile(layout.serviceJar(s.module()))) {
                throw new IllegalStateException("missing " + layout.serviceJar(s.module()) + ": build first (./pocketbridge run does)");
            }
            requirePortFree(s.port());
            requirePortFree(s.managementPort());
        }
        requirePortFree(KAFKA_PORT);
        requirePortFree(POSTGRES_PORT);

        // Extracting the services' jars for their AOT caches (once per build) overlaps the start of PostgreSQL and Kafka.
        List<Thread> preparing = SERVICES.stream()
                .map(s -> Thread.ofVirtual().name("prepare-" + s.module()).start(aotCache(s.module())::prepare)).toList();

        say("PostgreSQL on " + POSTGRES_PORT + " (data in .data/postgres)");
        postgres = startPostgres();

        say("Kafka (KRaft) on " + KAFKA_PORT + " (data in .data/kafka)");
        ChildProcess kafka = startKafka();
        awaitUp(kafka, LocalKafka.startTimeout(), () -> portOpen(KAFKA_PORT));

        replaySecret = secret("replay-token.secret");
        adminPassword = secret("admin-password");
        serviceClientSecret = secret("service-client.secret");
        analyticsKey = secret("analytics.key");
        for (Thread t : preparing) {
            t.join();
        }
        List<ChildProcess> services = new ArrayList<>();
        for (Service s : SERVICES) {
            say("starting " + s.module() + " on " + s.port());
            services.add(startService(s));
        }
        for (int i = 0; i < SERVICES.size(); i++) {
            Service s = SERVICES.get(i);
            awaitUp(services.get(i), Duration.ofSeconds(180), () -> ready(s));
        }
        awaitUp(services.getLast(), Duration.ofSeconds(60), () -> httpOk("http://localhost:8080/health"));

        supervisor.supervise("postgresql", postgres, this::startPostgres, () -> postgresReady());
        supervisor.supervise("kafka", kafka, this::startKafka, () -> portOpen(KAFKA_PORT));
        for (int i = 0; i < SERVICES.size(); i++) {
            Service s = SERVICES.get(i);
            supervisor.supervise(s.module(), services.get(i), () -> startService(s), () -> ready(s));
        }
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        System.out.printf("""

                PocketBridge is up in %d s.
                  REST and WebSocket:  http://localhost:8080   (ws://localhost:8080/ws)
                  browser device:      http://localhost:8080/app/
                  REST API described:  http://localhost:8080/swagger-ui.html   (OpenAPI: /v3/api-docs)
                  health:              http://localhost:8080/health
                  actuator:            http://127.0.0.1:9080/actuator (gateway), 9081-9084 (others); this machine only
                  admin (HTTP Basic):  user admin, password in %s
                  logs:                %s
                  data:                %s (kept between runs)
                A process that stops is restarted, and this says which and why.
                Press Ctrl-C to stop everything.
                %n""", seconds, layout.data().resolve("admin-password"), layout.logs(), layout.data());
    }

    private synchronized LocalPostgres startPostgres() throws IOException {
        requireNotStopping();
        try {
            postgres = postgres != null ? postgres.restart()
                    : LocalPostgres.start(layout.data().resolve("postgres"), POSTGRES_PORT,
                            List.of("pocketbridge_auth", "pocketbridge_device", "pocketbridge_event"),
                            layout.log("postgresql"));
            return postgres;
        } catch (SQLException e) {
            throw new IOException("PostgreSQL did not accept connections: " + e.getMessage(), e);
        }
    }

    private synchronized ChildProcess startKafka() throws IOException, InterruptedException {
        requireNotStopping();
        return track(LocalKafka.start(layout, KAFKA_PORT, KAFKA_CONTROLLER_PORT));
    }

    private synchronized ChildProcess startService(Service s) throws IOException {
        requireNotStopping();
        AotCache aot = aotCache(s.module());
        ChildProcess previous = children.get(s.module());
        aot.settle(previous == null ? OptionalInt.empty() : previous.exitCode()).ifPresent(m -> say(s.module() + " " + m));
        List<String> command = new ArrayList<>(jvmFlags(s.module()));
        command.addAll(aot.launchArguments());
        command.add("--server.port=" + s.port());
        if (!s.isPublic()) {
            command.add("--server.address=" + LOOPBACK);
        }
        // The defaults of application.yml, spelled out: the gateway's /health reads these ports.
        command.add("--management.server.port=" + s.managementPort());
        command.add("--management.server.address=" + LOOPBACK);
        if (s.module().equals("gateway-service")) {
            command.add("--pocketbridge.gateway.identity.key-file=" + layout.data().resolve("server-identity.key"));
        }
        if (s.module().equals("event-service")) {
            // events.analytics for analysts (docs/analytics.md), under this machine's own key (.data/analytics.key).
            command.add("--pocketbridge.analytics.enabled=true");
        }
        // Secrets go through the environment, not the command line that every local user can read.
        // (Spring's relaxed binding: dots become underscores, dashes are dropped.)
        // Every service gets the service client's secret: auth-service checks it, the callers present it.
        Map<String, String> environment = new HashMap<>(Map.of("POCKETBRIDGE_INTERNAL_CLIENTSECRET", serviceClientSecret));
        switch (s.module()) {
            case "event-service" -> {
                environment.put("POCKETBRIDGE_EVENT_REPLAY_TOKENSECRET", replaySecret);
                environment.put("POCKETBRIDGE_ANALYTICS_KEY", analyticsKey);
            }
            case "auth-service" -> environment.put("POCKETBRIDGE_AUTH_ADMIN_PASSWORD", adminPassword);
            // the defaults in each service's application.yml match this layout
            default -> {
            }
        }
        return track(ChildProcess.startJava(s.module(), command, environment, layout.root(), layout.log(s.module())));
    }

    private AotCache aotCache(String module) {
        return aotCaches.computeIfAbsent(module,
                m -> AotCache.forService(layout.serviceJar(m), layout.aotDirectory(m), jvmFlags(m), layout.log(m)));
    }

    /** Keeps the newest process of each name, the one Ctrl-C must stop. */
    private ChildProcess track(ChildProcess child) {
        children.put(child.name(), child);
        return child;
    }

    private void requireNotStopping() {
        if (stopping) {
            throw new IllegalStateException("stopping");
        }
    }

    private boolean ready(Service s) {
        return httpOk("http://" + LOOPBACK + ":" + s.managementPort() + "/actuator/health/readiness");
    }

    private boolean postgresReady() {
        return portOpen(POSTGRES_PORT);
    }

    /**
     * Every child's output is appended to a file of {@code .data/logs}: each is cut back (to one
     * older copy, {@code .log.1}) once it passes {@code POCKETBRIDGE_LOG_MAX_MB} (50 MiB), now and
     * every {@link #LOG_CHECK_INTERVAL}, so a long run or many benchmark runs do not fill the disk.
     */
    private void boundLogs() {
        LogRotation rotation = new LogRotation(layout.logs(), LogRotation.maxBytes(System.getenv("POCKETBRIDGE_LOG_MAX_MB")));
        rotation.rotateLarge();
        Thread.ofPlatform().daemon().name("log-rotation").start(() -> {
            try {
                while (!stopping) {
                    Thread.sleep(LOG_CHECK_INTERVAL.toMillis());
                    rotation.rotateLarge();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Stays in the foreground, restarting whatever stops, until Ctrl-C. */
    private void watch() throws InterruptedException {
        supervisor.run();
    }

    private synchronized void stopAll() {
        stopping = true;
        supervisor.stop();
        if (children.isEmpty() && postgres == null) {
            return;
        }
        say("stopping");
        // Services first, all at once (each drains its sessions and consumers), then Kafka, then PostgreSQL.
        List<ChildProcess> services = children.values().stream().filter(c -> !c.name().equals("kafka")).toList();
        services.forEach(ChildProcess::requestStop);
        // A JVM recording its AOT cache writes it as it ends (once per build): give it the time.
        boolean recording = aotCaches.values().stream().anyMatch(AotCache::recording);
        if (recording) {
            say("the services write their AOT caches as they stop (once per build; the next start is faster)");
        }
        Duration grace = recording ? RECORDING_STOP_GRACE : Duration.ofSeconds(30);
        services.forEach(c -> c.stop(grace));
        for (ChildProcess c : services) {
            AotCache aot = aotCaches.get(c.name());
            if (aot != null) {
                try {
                    aot.settle(c.exitCode()).ifPresent(m -> say(c.name() + " " + m));
                } catch (IOException e) {
                    System.err.println(c.name() + "'s AOT cache recording was neither kept nor thrown away: " + e.getMessage());
                }
            }
        }
        ChildProcess kafka = children.get("kafka");
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(30));
        }
        children.clear();
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("stopping PostgreSQL: " + e.getMessage());
            }
            postgres = null;
        }
        say("stopped");
    }

    private void awaitUp(ChildProcess child, Duration timeout, BooleanSupplier up) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!up.getAsBoolean()) {
            if (!child.isAlive()) {
                throw new IllegalStateException(child.name() + " exited during start-up; last log lines:\n" + child.tail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(child.name() + " not ready after " + timeout.toSeconds()
                        + " s; last log lines:\n" + child.tail(40));
            }
            Thread.sleep(250);
        }
    }

    private boolean httpOk(String url) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void requirePortFree(int port) {
        if (portOpen(port)) {
            throw new IllegalStateException("port " + port + " is already in use: is PocketBridge already running?");
        }
    }

    /** A random secret made on the first run and kept in .data, so tokens survive restarts. */
    private String secret(String name) throws IOException {
        Path file = layout.data().resolve(name);
        if (!Files.exists(file)) {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return Files.readString(file).trim();
    }

    private static void say(String message) {
        System.out.println("[pocketbridge] " + message);
    }
}
