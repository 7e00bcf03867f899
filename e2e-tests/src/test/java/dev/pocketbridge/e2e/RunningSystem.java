package dev.pocketbridge.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.awaitility.Awaitility;

import dev.pocketbridge.testsupport.FreePorts;
import dev.pocketbridge.testsupport.SharedKafka;
import dev.pocketbridge.testsupport.SharedPostgres;

/**
 * Every service as its own JVM, started from its runnable jar, against this test JVM's real
 * PostgreSQL and Kafka: two gateway nodes (0 and 1), auth, device, event and relay. As the run
 * command lays them out: the services but the gateways on loopback, every actuator on a loopback
 * management port of its own, one service client secret shared by all. Started once per test JVM
 * and shared by every end-to-end test; stopped when the JVM exits. The fault suite starts its own
 * against a broker and a PostgreSQL it can kill ({@link #start(Path, Infrastructure)}).
 */
final class RunningSystem {

    private static final String LOOPBACK = "127.0.0.1";

    /**
     * Where the services find Kafka and their databases.
     *
     * @param arguments more arguments for every service
     */
    record Infrastructure(String kafkaBootstrapServers, Function<String, SharedPostgres.Database> databases,
            List<String> arguments) {

        /** This test JVM's shared broker and PostgreSQL; every trace exported to its {@link OtlpReceiver}. */
        static Infrastructure shared() {
            return new Infrastructure(SharedKafka.bootstrapServers(), SharedPostgres::database,
                    OtlpReceiver.shared().serviceArguments());
        }
    }

    private static RunningSystem instance;
    private static IllegalStateException failure;

    private final Path root;
    private final Path work;
    private final Infrastructure infrastructure;
    /** The newest process of each name, in start order. */
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** Each process's command line, to start it again exactly so. */
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final String serviceClientSecret = randomSecret();
    private final String adminPassword = randomSecret();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RunningSystem(Path root, Path work, Infrastructure infrastructure) throws IOException {
        this.root = root;
        this.work = work;
        this.infrastructure = infrastructure;
        Files.createDirectories(work.resolve("logs"));
    }

    static synchronized RunningSystem get() {
        if (failure != null) {
            // One attempt per JVM: a second would start six more JVMs beside the first's and overwrite its logs.
            throw failure;
        }
        if (instance == null) {
            RunningSystem system = null;
            try {
                Path root = root();
                system = new RunningSystem(root, root.resolve("e2e-tests/target/e2e"), Infrastructure.shared());
                Runtime.getRuntime().addShutdownHook(new Thread(system::stop, "e2e-system-stop"));
                system.start();
                instance = system;
            } catch (Exception e) {
                if (system != null) {
                    system.stop();
                }
                failure = new IllegalStateException(
                        "the system under test did not start; logs in e2e-tests/target/e2e/logs", e);
                throw failure;
            }
        }
        return instance;
    }

    /**
     * A system of its own in {@code work}, against {@code infrastructure}; the caller stops it
     * ({@link #stop()}).
     */
    static RunningSystem start(Path work, Infrastructure infrastructure) throws Exception {
        RunningSystem system = new RunningSystem(root(), work, infrastructure);
        try {
            system.start();
            return system;
        } catch (Exception | Error e) {
            system.stop();
            throw e;
        }
    }

    static Path root() {
        return Path.of(System.getProperty("pocketbridge.root", "..")).toAbsolutePath().normalize();
    }

    /** Base URL of gateway node 0 or 1. */
    String gateway(int node) {
        return "http://localhost:" + ports.get("gateway-" + node);
    }

    String serviceUrl(String service) {
        return "http://localhost:" + ports.get(service);
    }

    /** Base URL of a service's (or {@code gateway-0}'s) management port, where the actuator is. */
    String managementUrl(String name) {
        return "http://localhost:" + managementPorts.get(name);
    }

    /** The admin's password (user {@code admin}) at auth-service's admin token endpoint. */
    String adminPassword() {
        return adminPassword;
    }

    /** The secret of the service client that auth-service's token endpoint accepts. */
    String serviceClientSecret() {
        return serviceClientSecret;
    }

    private void start() throws Exception {
        for (String name : List.of("auth-service", "device-service", "event-service", "relay-service", "gateway-0",
                "gateway-1")) {
            ports.put(name, FreePorts.pick());
            managementPorts.put(name, FreePorts.pick());
        }
        String kafka = infrastructure.kafkaBootstrapServers();
        List<String> common = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--pocketbridge.services.auth=" + serviceUrl("auth-service"),
                "--pocketbridge.services.device=" + serviceUrl("device-service"),
                "--pocketbridge.services.event=" + serviceUrl("event-service"),
                "--pocketbridge.services.relay=" + serviceUrl("relay-service"),
                // Every test device comes from this one address: per-address limits ten times the defaults
                // (the limits themselves are the services' and the gateway's integration tests').
                "--pocketbridge.gateway.rate-limits.challenge=200",
                "--pocketbridge.gateway.rate-limits.register=100",
                "--pocketbridge.gateway.rate-limits.token=200",
                "--pocketbridge.gateway.rate-limits.refresh=200",
                "--pocketbridge.gateway.rate-limits.pairing-lookup=100",
                "--pocketbridge.services.management.auth=" + managementUrl("auth-service"),
                "--pocketbridge.services.management.device=" + managementUrl("device-service"),
                "--pocketbridge.services.management.event=" + managementUrl("event-service"),
                "--pocketbridge.services.management.relay=" + managementUrl("relay-service"),
                "--pocketbridge.internal.client-secret=" + serviceClientSecret));
        common.addAll(infrastructure.arguments());

        List<String> auth = withDatabase(common, "pocketbridge_auth");
        auth.add("--pocketbridge.auth.admin.password=" + adminPassword);
        launch("auth-service", "auth-service", auth);
        launch("device-service", "device-service", withDatabase(common, "pocketbridge_device"));
        List<String> event = withDatabase(common, "pocketbridge_event");
        event.add("--pocketbridge.event.replay.token-secret=" + randomSecret());
        launch("event-service", "event-service", event);
        launch("relay-service", "relay-service", new ArrayList<>(common));
        for (int node = 0; node < 2; node++) {
            List<String> gateway = new ArrayList<>(common);
            gateway.add("--pocketbridge.gateway.routing.node-id=" + node);
            gateway.add("--pocketbridge.gateway.identity.key-file=" + work.resolve("server-identity.key"));
            launch("gateway-" + node, "gateway-service", gateway);
        }
        // Six JVMs share two cores here: start-up is slow, so the bound is generous.
        for (String name : ports.keySet()) {
            awaitReady(name, Duration.ofMinutes(4));
        }
        awaitOk("gateway-0", gateway(0) + "/health", Duration.ofMinutes(1));
    }

    /** The names of the processes: auth-service, device-service, event-service, relay-service, gateway-0, gateway-1. */
    List<String> names() {
        return List.copyOf(ports.keySet());
    }

    /** The current process of {@code name}. */
    synchronized Process process(String name) {
        return processes.get(name);
    }

    Path log(String name) {
        return work.resolve("logs").resolve(name + ".log");
    }

    /** Starts {@code name} again with the same command line (same port, same arguments); does not wait. */
    synchronized Process restart(String name) throws IOException {
        if (processes.get(name).isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        return spawn(name);
    }

    /** True when {@code name} answers its readiness probe. */
    boolean ready(String name) throws InterruptedException {
        return isOk(readinessUrl(name));
    }

    void awaitReady(String name, Duration timeout) {
        awaitOk(name, readinessUrl(name), timeout);
    }

    private String readinessUrl(String name) {
        return managementUrl(name) + "/actuator/health/readiness";
    }

    private List<String> withDatabase(List<String> common, String database) {
        SharedPostgres.Database db = infrastructure.databases().apply(database);
        List<String> args = new ArrayList<>(common);
        args.add("--spring.datasource.url=" + db.jdbcUrl());
        args.add("--spring.datasource.username=" + db.username());
        args.add("--spring.datasource.password=" + db.password());
        return args;
    }

    private void launch(String name, String module, List<String> args) throws IOException {
        Path jar = root.resolve(module).resolve("target").resolve(module + "-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + ": the reactor builds it in the package phase");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.port=" + ports.get(name),
                "--management.server.port=" + managementPorts.get(name),
                "--management.server.address=" + LOOPBACK));
        if (!name.startsWith("gateway-")) {
            command.add("--server.address=" + LOOPBACK);
        }
        command.addAll(args);
        commands.put(name, command);
        spawn(name);
    }

    private synchronized Process spawn(String name) throws IOException {
        Process process = new ProcessBuilder(commands.get(name))
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()))
                .start();
        processes.put(name, process);
        return process;
    }

    private void awaitOk(String name, String url, Duration timeout) {
        Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(250))
                .failFast(() -> !process(name).isAlive())
                .until(() -> isOk(url));
    }

    private boolean isOk(String url) throws InterruptedException {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    synchronized void stop() {
        List<Process> all = List.copyOf(processes.values());
        for (Process p : all.reversed()) {
            p.destroy();
        }
        for (Process p : all) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
