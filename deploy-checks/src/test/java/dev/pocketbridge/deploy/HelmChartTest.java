package dev.pocketbridge.deploy;

import static dev.pocketbridge.deploy.ComposeFileTest.list;
import static dev.pocketbridge.deploy.ComposeFileTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * helm/pocketbridge: {@code helm lint --strict}, {@code helm template} with the default values and with
 * ci/production-values.yaml checked against the Kubernetes schemas (validate-manifests.mjs), and the
 * values it must refuse.
 */
class HelmChartTest {

    private static final String RELEASE = "pb";
    private static final String PRODUCTION = "helm/pocketbridge/ci/production-values.yaml";
    private static final List<String> SERVICES = List.of("auth", "device", "event", "relay");

    @Test
    void lintsStrictlyWithTheDefaultValues() {
        DeployTools.Result result = DeployTools.run(DeployTools.helm(), "lint", "--strict", "helm/pocketbridge");

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void lintsStrictlyWithProductionValues() {
        DeployTools.Result result = DeployTools.run(DeployTools.helm(), "lint", "--strict", "helm/pocketbridge", "-f", PRODUCTION);

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void defaultValuesRenderValidObjects() {
        List<Map<String, Object>> objects = renderValid();

        Map<String, Object> gateway = find(objects, "StatefulSet", "pb-pocketbridge-gateway");
        assertThat(spec(gateway)).containsEntry("replicas", 2).containsEntry("podManagementPolicy", "Parallel");
        Map<String, Object> nodeId = env(gateway, "POCKETBRIDGE_GATEWAY_ROUTING_NODEID");
        assertThat(nodeId).as("the node id is the pod's ordinal")
                .isEqualTo(Map.of("name", "POCKETBRIDGE_GATEWAY_ROUTING_NODEID",
                        "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "metadata.labels['apps.kubernetes.io/pod-index']"))));
        for (String service : SERVICES) {
            Map<String, Object> deployment = find(objects, "Deployment", "pb-pocketbridge-" + service);
            assertThat(spec(deployment)).containsEntry("replicas", 2);
            Map<String, Object> svc = find(objects, "Service", "pb-pocketbridge-" + service);
            assertThat(spec(svc)).containsEntry("type", "ClusterIP");
            find(objects, "PodDisruptionBudget", "pb-pocketbridge-" + service);
        }
        find(objects, "PodDisruptionBudget", "pb-pocketbridge-gateway");
        assertThat(objects).noneMatch(o -> o.get("kind").equals("HorizontalPodAutoscaler") || o.get("kind").equals("NetworkPolicy"));

        for (Map<String, Object> workload : workloads(objects)) {
            assertThat(map(pod(workload).get("securityContext"))).containsEntry("runAsNonRoot", true);
            Map<String, Object> container = container(workload);
            assertThat(probe(container, "startupProbe")).isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "management"));
            assertThat(probe(container, "livenessProbe")).isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "management"));
            assertThat(probe(container, "readinessProbe")).isEqualTo(Map.of("path", "/actuator/health/readiness", "port", "management"));
            assertThat(map(container.get("resources"))).containsKeys("requests", "limits");
            // JSON log lines; no trace export without an endpoint (docs/tracing-and-logs.md).
            assertThat(env(workload, "LOGGING_STRUCTURED_FORMAT_CONSOLE")).containsEntry("value", "ecs");
            assertThat(env(workload, "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT")).containsEntry("value", "");
        }

        Map<String, Object> eventConfig = config(objects, "event");
        assertThat(map(map(eventConfig.get("pocketbridge")).get("kafka"))).containsEntry("deliveries-partitions", 16);
        assertThat(map(map(config(objects, "relay").get("pocketbridge")).get("kafka"))).containsEntry("deliveries-partitions", 16);
        assertThat(map(map(map(eventConfig.get("spring")).get("datasource"))))
                .containsEntry("url", "jdbc:postgresql://postgresql:5432/pocketbridge_event");
        Map<String, Object> management = map(map(map(config(objects, "gateway").get("pocketbridge")).get("services")).get("management"));
        assertThat(management).containsEntry("auth", "http://pb-pocketbridge-auth:9081")
                .containsEntry("relay", "http://pb-pocketbridge-relay:9084");

        // Generated secrets: present, and in the form the services read.
        Map<String, String> data = map(find(objects, "Secret", "pb-pocketbridge-secrets").get("data"));
        assertThat(data).containsOnlyKeys("internal-client-secret", "gateway-identity-key", "replay-token-secret", "admin-password",
                "analytics-key");
        String identity = new String(Base64.getDecoder().decode(data.get("gateway-identity-key")), StandardCharsets.US_ASCII);
        assertThat(identity).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(identity)).hasSize(32);
    }

    @Test
    void productionValuesRenderValidObjects() {
        List<Map<String, Object>> objects = renderValid("-f", PRODUCTION);

        assertThat(objects).as("both Secrets exist already").noneMatch(o -> o.get("kind").equals("Secret"));
        assertThat(spec(find(objects, "StatefulSet", "pb-pocketbridge-gateway"))).containsEntry("replicas", 4);
        for (String service : SERVICES) {
            assertThat(spec(find(objects, "Deployment", "pb-pocketbridge-" + service))).as("the HPA sets the replicas")
                    .doesNotContainKey("replicas");
            Map<String, Object> hpa = find(objects, "HorizontalPodAutoscaler", "pb-pocketbridge-" + service);
            assertThat(map(spec(hpa).get("scaleTargetRef"))).containsEntry("name", "pb-pocketbridge-" + service);
            // Internal ports: from this release's pods only, plus Prometheus on the management port.
            List<Map<String, Object>> rules = list(spec(find(objects, "NetworkPolicy", "pb-pocketbridge-" + service)).get("ingress"));
            assertThat(rules).hasSize(2);
            assertThat(list(rules.get(0).get("from"))).containsExactly(Map.of("podSelector", Map.of("matchLabels",
                    Map.of("app.kubernetes.io/name", "pocketbridge", "app.kubernetes.io/instance", RELEASE))));
            assertThat(list(rules.get(1).get("ports"))).containsExactly(Map.of("port", "management", "protocol", "TCP"));
        }
        List<Map<String, Object>> gatewayRules = list(spec(find(objects, "NetworkPolicy", "pb-pocketbridge-gateway")).get("ingress"));
        assertThat(list(gatewayRules.get(0).get("ports"))).containsExactly(Map.of("port", "http", "protocol", "TCP"));
        assertThat(list(gatewayRules.get(0).get("from"))).hasSize(1);
        Map<String, Object> ingress = find(objects, "Ingress", "pb-pocketbridge-gateway");
        assertThat(spec(ingress)).containsEntry("ingressClassName", "nginx");
        assertThat(container(find(objects, "StatefulSet", "pb-pocketbridge-gateway")))
                .containsEntry("image", "registry.example.com/pocketbridge/gateway-service:0.1.0");
        assertThat(env(find(objects, "Deployment", "pb-pocketbridge-auth"), "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).isNotNull();
        for (Map<String, Object> workload : workloads(objects)) {
            assertThat(env(workload, "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT"))
                    .containsEntry("value", "http://otel-collector.monitoring:4318/v1/traces");
            assertThat(env(workload, "MANAGEMENT_TRACING_SAMPLING_PROBABILITY")).containsEntry("value", "0.05");
        }
        assertThat(map(map(config(objects, "auth").get("spring")).get("datasource")))
                .containsEntry("url", "jdbc:postgresql://postgres.example.internal:5432/pocketbridge_auth?sslmode=verify-full");
    }

    /** The notes printed after an install (a client-side dry run: no cluster needed) state the partition relation. */
    @Test
    void installNotesStateTheGatewayPartitionRelation() {
        DeployTools.Result result = DeployTools.run(DeployTools.helm(), "install", RELEASE, "helm/pocketbridge",
                "--dry-run=client", "--namespace", "pocketbridge", "-f", PRODUCTION, "--set", "gateway.replicas=3");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        String notes = result.stdout().substring(result.stdout().indexOf("NOTES:"));
        assertThat(notes).contains("Gateway nodes: 3 pods (pb-pocketbridge-gateway-0 .. pb-pocketbridge-gateway-2), node ids 0..2")
                .contains("(16 partitions): at most 16 gateway pods")
                .contains("https://sync.example.com/health")
                .contains("get secret pocketbridge-secrets");
    }

    /** Other switches of the chart render valid objects too. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "gateway.service.type=LoadBalancer,gateway.service.externalTrafficPolicy=Local",
        "networkPolicy.enabled=true",
        "admin.enabled=false,serviceAccount.create=false,podAntiAffinity=none,metrics.podAnnotations=false",
        "logFormat=text,tracing.otlpEndpoint=http://collector:4318/v1/traces,tracing.samplingProbability=1",
        "relay.autoscaling.enabled=true,event.podDisruptionBudget.enabled=false,gateway.ingress.enabled=true",
        "postgresql.existingSecret=db,secrets.existingSecret=app,fullnameOverride=sync",
    })
    void switchesRenderValidObjects(String sets) {
        List<Map<String, Object>> objects = renderValid("--set", sets);

        assertThat(workloads(objects)).hasSize(5);
    }

    @ParameterizedTest(name = "{0} gateways over {1} partitions")
    @CsvSource({"1, 1", "4, 4", "16, 16", "3, 32"})
    void rendersAsManyGatewaysAsThereArePartitionsUpTo16(int replicas, int partitions) {
        // Only the numbers change here: the objects' schema checks are the other tests'.
        List<Map<String, Object>> objects = render("--set", "gateway.replicas=" + replicas,
                "--set", "kafka.topics.deliveriesPartitions=" + partitions);

        assertThat(spec(find(objects, "StatefulSet", "pb-pocketbridge-gateway"))).containsEntry("replicas", replicas);
        assertThat(map(map(config(objects, "event").get("pocketbridge")).get("kafka"))).containsEntry("deliveries-partitions", partitions);
        assertThat(map(map(config(objects, "relay").get("pocketbridge")).get("kafka"))).containsEntry("deliveries-partitions", partitions);
    }

    @ParameterizedTest(name = "{0} gateways over {1} partitions")
    @CsvSource(delimiter = '|', value = {
        "5  | 4  | gateway.replicas (5) is more than kafka.topics.deliveriesPartitions (4)",
        "2  | 1  | gateway.replicas (2) is more than kafka.topics.deliveriesPartitions (1)",
        "17 | 32 | gateway.replicas (17) is more than 16",
    })
    void refusesMoreGatewaysThanPartitionsOr16(int replicas, int partitions, String message) {
        DeployTools.Result result = template("--set", "gateway.replicas=" + replicas,
                "--set", "kafka.topics.deliveriesPartitions=" + partitions);

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).contains(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "gateway.replicass=3                 | additional properties 'replicass' not allowed",
        "gateway.replicas=0                  | /gateway/replicas",
        "kafka.topics.deliveriesPartitions=0 | /kafka/topics/deliveriesPartitions",
        "kafka.bootstrapServers=kafka        | /kafka/bootstrapServers",
        "secrets.gatewayIdentityKey=short    | /secrets/gatewayIdentityKey",
        "podAntiAffinity=sometimes           | /podAntiAffinity",
        "auth.autoscaling.enabled=yes        | /auth/autoscaling/enabled",
    })
    void refusesValuesTheSchemaForbids(String set, String message) {
        DeployTools.Result result = template("--set", set);

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).contains("values don't meet the specifications of the schema").contains(message);
    }

    @Test
    void refusesSecretsBothNamedAndGiven() {
        DeployTools.Result result = template("--set", "secrets.existingSecret=mine", "--set", "secrets.internalClientSecret=x");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).contains("secrets.internalClientSecret is set together with secrets.existingSecret");
    }

    @Test
    void refusesAutoscalingWithMoreMinimumThanMaximum() {
        DeployTools.Result result = template("--set", "event.autoscaling.enabled=true",
                "--set", "event.autoscaling.minReplicas=5", "--set", "event.autoscaling.maxReplicas=3");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).contains("event.autoscaling.minReplicas (5) is more than its maxReplicas (3)");
    }

    @Test
    void givenSecretsAreUsedAndAHashReplacesTheAdminPassword(@TempDir Path dir) throws IOException {
        String identity = "A".repeat(43);
        // A values file: --set would read the braces as a list.
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, """
                secrets:
                  gatewayIdentityKey: %s
                  adminPasswordHash: '{bcrypt}$2a$10$abcdefghijklmnopqrstuv'
                  jwtSigningKey: '{"kty":"EC"}'
                """.formatted(identity));
        List<Map<String, Object>> objects = renderValid("-f", values.toString());

        Map<String, String> data = map(find(objects, "Secret", "pb-pocketbridge-secrets").get("data"));
        assertThat(decode(data.get("gateway-identity-key"))).isEqualTo(identity);
        assertThat(decode(data.get("admin-password-hash"))).isEqualTo("{bcrypt}$2a$10$abcdefghijklmnopqrstuv");
        assertThat(decode(data.get("jwt-signing-key"))).isEqualTo("{\"kty\":\"EC\"}");
        assertThat(data).doesNotContainKey("admin-password");
    }

    /**
     * A Secret made by deploy/generate-secrets --kubernetes is a valid object and holds every key the chart
     * reads from secrets.existingSecret (the optional ones aside).
     */
    @Test
    void generatedSecretHoldsEveryKeyTheChartReads() {
        String generated = GeneratedSecrets.kubernetes("pocketbridge-secrets");
        validate(generated);
        Map<String, Object> secret = new Yaml().load(generated);
        Map<String, String> stringData = map(secret.get("stringData"));
        Set<String> keys = stringData.keySet();

        List<Map<String, Object>> objects = renderValid("--set", "secrets.existingSecret=pocketbridge-secrets");

        List<Map<String, Object>> references = new ArrayList<>();
        for (Map<String, Object> workload : workloads(objects)) {
            for (Object container : list(pod(workload).get("containers"))) {
                for (Object e : list(map(container).get("env"))) {
                    Map<String, Object> from = map(map(e).get("valueFrom"));
                    if (from != null && from.get("secretKeyRef") != null
                            && "pocketbridge-secrets".equals(map(from.get("secretKeyRef")).get("name"))) {
                        references.add(map(from.get("secretKeyRef")));
                    }
                }
            }
        }
        Set<String> required = new HashSet<>();
        Set<String> optional = new HashSet<>();
        references.forEach(r -> (Boolean.TRUE.equals(r.get("optional")) ? optional : required).add((String) r.get("key")));
        assertThat(required).containsExactlyInAnyOrder("internal-client-secret", "gateway-identity-key", "replay-token-secret");
        assertThat(keys).containsAll(required);
        assertThat(optional).containsExactlyInAnyOrder("jwt-signing-key", "admin-password", "admin-password-hash");
        assertThat(objects).noneMatch(o -> o.get("kind").equals("Secret") && map(o.get("metadata")).get("name").equals("pb-pocketbridge-secrets"));
    }

    private static DeployTools.Result template(String... arguments) {
        List<String> command = DeployTools.list(DeployTools.helm(), "template", RELEASE, "helm/pocketbridge");
        command.addAll(List.of(arguments));
        return DeployTools.run(command, null, Map.of());
    }

    /** helm template with these arguments, checked by validate-manifests.mjs, as objects. */
    private static List<Map<String, Object>> renderValid(String... arguments) {
        return render(true, arguments);
    }

    /** helm template with these arguments, as objects. */
    private static List<Map<String, Object>> render(String... arguments) {
        return render(false, arguments);
    }

    private static List<Map<String, Object>> render(boolean validate, String... arguments) {
        DeployTools.Result rendered = template(arguments);
        assertThat(rendered.exitCode()).as(rendered.describe()).isZero();
        if (validate) {
            validate(rendered.stdout());
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object o : new Yaml().loadAll(rendered.stdout())) {
            if (o != null) {
                objects.add(map(o));
            }
        }
        return objects;
    }

    private static void validate(String manifests) {
        List<String> command = DeployTools.list(DeployTools.node(), DeployTools.VALIDATOR.toString(),
                "--modules", DeployTools.TOOLS.resolve("node_modules").toString());
        DeployTools.Result result = DeployTools.run(command, manifests, Map.of());
        assertThat(result.exitCode()).as("validate-manifests.mjs: " + result.describe()).isZero();
        assertThat(result.stdout()).startsWith("valid: ");
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(map(o.get("metadata")).get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " among " + objects.stream()
                        .map(o -> o.get("kind") + "/" + map(o.get("metadata")).get("name")).toList()));
    }

    private static List<Map<String, Object>> workloads(List<Map<String, Object>> objects) {
        return objects.stream().filter(o -> Stream.of("Deployment", "StatefulSet").anyMatch(o.get("kind")::equals)).toList();
    }

    private static Map<String, Object> spec(Map<String, Object> object) {
        return map(object.get("spec"));
    }

    private static Map<String, Object> pod(Map<String, Object> workload) {
        return map(map(spec(workload).get("template")).get("spec"));
    }

    /** The one container of a workload's pods. */
    private static Map<String, Object> container(Map<String, Object> workload) {
        List<Object> containers = list(pod(workload).get("containers"));
        assertThat(containers).hasSize(1);
        return map(containers.getFirst());
    }

    private static Map<String, Object> env(Map<String, Object> workload, String name) {
        for (Object e : list(container(workload).get("env"))) {
            if (name.equals(map(e).get("name"))) {
                return map(e);
            }
        }
        return null;
    }

    private static Map<String, Object> probe(Map<String, Object> container, String probe) {
        return map(map(container.get(probe)).get("httpGet"));
    }

    /** The application.yaml a component's ConfigMap hands to the service. */
    private static Map<String, Object> config(List<Map<String, Object>> objects, String component) {
        Map<String, String> data = map(find(objects, "ConfigMap", "pb-pocketbridge-" + component).get("data"));
        return new Yaml().load(data.get("application.yaml"));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
