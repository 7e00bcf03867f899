package dev.pocketbridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml, as {@code docker-compose config} resolves it with secrets from deploy/generate-secrets. */
class ComposeFileTest {

    private static final Set<String> SERVICES = Set.of("auth-service", "device-service", "event-service",
            "relay-service", "gateway-service");

    @TempDir
    Path dir;

    @Test
    void resolvesWithGeneratedSecretsIntoKafkaPostgresAndTheFiveServices() throws IOException {
        String compose = DeployTools.dockerCompose();
        Map<String, String> secrets = GeneratedSecrets.env(dir);

        DeployTools.Result result = DeployTools.run(List.of(compose, "--env-file", dir.resolve("env").toString(),
                "-f", "docker-compose.yml", "config"), null, Map.of());

        assertThat(result.exitCode()).as(result.describe()).isZero();
        Map<String, Object> config = new Yaml().load(result.stdout());
        Map<String, Map<String, Object>> services = map(config.get("services"));
        assertThat(services.keySet()).containsExactlyInAnyOrder("kafka", "postgres", "auth-service", "device-service",
                "event-service", "relay-service", "gateway-service");
        assertThat((String) services.get("kafka").get("image")).startsWith("apache/kafka:");
        assertThat(map(services.get("kafka").get("environment"))).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");

        services.forEach((name, service) -> {
            assertThat(service).as(name).containsKeys("healthcheck", "mem_limit", "restart");
            assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
            Map<String, Map<String, Object>> dependsOn = map(service.getOrDefault("depends_on", Map.of()));
            dependsOn.forEach((dependency, condition) ->
                    assertThat(condition).as(name + " -> " + dependency).containsEntry("condition", "service_healthy"));
            if (name.equals("gateway-service")) {
                List<Map<String, Object>> ports = list(service.get("ports"));
                assertThat(ports).as("the gateway publishes 8080 only").hasSize(1);
                assertThat(ports.getFirst()).containsEntry("target", 8080).containsEntry("published", 8080);
            } else {
                assertThat(service).as(name + " publishes no port").doesNotContainKey("ports");
            }
            if (SERVICES.contains(name)) {
                assertThat(service.get("build")).as(name).isEqualTo(Map.of("context", DeployTools.ROOT.toString(),
                        "dockerfile", "Dockerfile", "args", Map.of("SERVICE", name)));
                assertThat(list(map(service.get("healthcheck")).get("test"))).containsExactly("CMD", "pocketbridge-healthcheck");
            }
        });
        assertThat(map(services.get("gateway-service").get("depends_on")).keySet())
                .containsExactlyInAnyOrder("kafka", "auth-service", "device-service", "event-service", "relay-service");
        assertThat(map(config.get("volumes")).keySet()).containsExactlyInAnyOrder("kafka-data", "postgres-data");
        assertThat(list(services.get("kafka").get("volumes"))).anySatisfy(v -> assertThat(v.toString()).startsWith("kafka-data:"));
        assertThat(list(services.get("postgres").get("volumes"))).anySatisfy(v -> assertThat(v.toString()).startsWith("postgres-data:"));

        // Every service gets the secrets it needs, unchanged (the JWK survives .env quoting), and no others.
        assertThat(env(services, "gateway-service"))
                .containsEntry("POCKETBRIDGE_GATEWAY_IDENTITY_PRIVATEKEY", secrets.get("GATEWAY_IDENTITY_KEY"))
                .containsEntry("POCKETBRIDGE_INTERNAL_CLIENTSECRET", secrets.get("INTERNAL_CLIENT_SECRET"))
                .containsEntry("POCKETBRIDGE_GATEWAY_ROUTING_NODEID", "0");
        assertThat(env(services, "auth-service"))
                .containsEntry("POCKETBRIDGE_AUTH_TOKEN_SIGNINGKEY", secrets.get("JWT_SIGNING_KEY"))
                .containsEntry("POCKETBRIDGE_AUTH_ADMIN_PASSWORD", secrets.get("ADMIN_PASSWORD"))
                .containsEntry("SPRING_DATASOURCE_PASSWORD", secrets.get("AUTH_DB_PASSWORD"));
        assertThat(env(services, "device-service")).containsEntry("SPRING_DATASOURCE_PASSWORD", secrets.get("DEVICE_DB_PASSWORD"));
        assertThat(env(services, "event-service"))
                .containsEntry("SPRING_DATASOURCE_PASSWORD", secrets.get("EVENT_DB_PASSWORD"))
                .containsEntry("POCKETBRIDGE_EVENT_REPLAY_TOKENSECRET", secrets.get("REPLAY_TOKEN_SECRET"))
                .containsEntry("POCKETBRIDGE_ANALYTICS_KEY", secrets.get("ANALYTICS_KEY"))
                .containsEntry("POCKETBRIDGE_ANALYTICS_ENABLED", "false")
                .doesNotContainKey("POCKETBRIDGE_INTERNAL_CLIENTSECRET");
        assertThat(env(services, "relay-service").keySet())
                .noneMatch(k -> k.contains("SECRET") || k.contains("PASSWORD") || k.contains("KEY"));
        for (String service : SERVICES) {
            assertThat(env(services, service)).as(service).containsEntry("SPRING_KAFKA_BOOTSTRAPSERVERS", "kafka:9092")
                    // JSON log lines; no trace export until OTLP_TRACES_ENDPOINT is set (docs/tracing-and-logs.md).
                    .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs")
                    .containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", "");
        }
    }

    @Test
    void refusesToResolveWithoutSecrets() {
        String compose = DeployTools.dockerCompose();

        // .env.example holds no secret: every required one is empty.
        DeployTools.Result result = DeployTools.run(compose, "--env-file", ".env.example", "-f", "docker-compose.yml", "config");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).contains("in .env (deploy/generate-secrets)");
    }

    private static Map<String, String> env(Map<String, Map<String, Object>> services, String service) {
        Map<String, Object> environment = map(services.get(service).get("environment"));
        Map<String, String> strings = new HashMap<>();
        environment.forEach((k, v) -> strings.put(k, String.valueOf(v)));
        return strings;
    }

    @SuppressWarnings("unchecked")
    static <K, V> Map<K, V> map(Object o) {
        return (Map<K, V>) o;
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Object o) {
        return (List<T>) o;
    }
}
