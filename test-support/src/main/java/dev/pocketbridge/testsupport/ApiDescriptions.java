package dev.pocketbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks of the REST API description (springdoc, merged by the gateway): which operations it
 * holds (as {@code "GET /api/v1/devices/{}"}, path variables unnamed), against the handler methods
 * of a servlet service, against the endpoint tables of docs/protocol.md §2, and against the
 * committed copy of each service's part in {@code docs/openapi/}.
 */
public final class ApiDescriptions {

    /** Where each service's part is committed, from a module's directory. */
    public static final Path COMMITTED = Path.of("..", "docs", "openapi");
    private static final Pattern VARIABLE = Pattern.compile("\\{[^}/]+}");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*`(GET|POST|PUT|PATCH|DELETE) (/[^`\\s]*)`\\s*\\|");
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private ApiDescriptions() {
    }

    /** {@code "METHOD /path"} with every path variable written {@code {}}. */
    public static String operation(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + VARIABLE.matcher(path).replaceAll("{}");
    }

    /** Every operation of an OpenAPI description. */
    public static Set<String> operations(JsonNode description) {
        Set<String> operations = new TreeSet<>();
        description.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (METHODS.contains(method.getKey())) {
                operations.add(operation(method.getKey(), path.getKey()));
            }
        }));
        return operations;
    }

    /** The operations of the handler methods in {@code basePackage}, without the internal API. */
    public static Set<String> mappedOperations(RequestMappingHandlerMapping mapping, String basePackage) {
        Set<String> operations = new TreeSet<>();
        for (var entry : mapping.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            HandlerMethod handler = entry.getValue();
            if (!handler.getBeanType().getPackageName().startsWith(basePackage)) {
                continue;
            }
            for (String path : info.getPatternValues()) {
                if (path.startsWith("/internal/")) {
                    continue;
                }
                if (info.getMethodsCondition().getMethods().isEmpty()) {
                    operations.add(operation("ANY", path));
                }
                info.getMethodsCondition().getMethods().forEach(m -> operations.add(operation(m.name(), path)));
            }
        }
        return operations;
    }

    /** The {@code | `METHOD /path` |} rows of the endpoint tables in §2 of docs/protocol.md. */
    public static Set<String> protocolOperations(Path protocol) {
        Set<String> operations = new TreeSet<>();
        boolean inRest = false;
        for (String line : read(protocol).lines().toList()) {
            if (line.startsWith("## ")) {
                inRest = line.startsWith("## 2.");
            }
            Matcher row = TABLE_ROW.matcher(line);
            if (inRest && row.find()) {
                operations.add(operation(row.group(1), row.group(2)));
            }
        }
        return operations;
    }

    /**
     * Every operation has an id, a summary, a success response, errors as problem details with
     * their codes, and examples (of its request body, of its JSON answer) whose members are the
     * schema's own.
     */
    public static void assertComplete(JsonNode description) {
        SoftAssertions soft = new SoftAssertions();
        forEachOperation(description, (name, op) -> {
            soft.assertThat(op.path("operationId").isString()).as("%s has an operationId", name).isTrue();
            soft.assertThat(op.path("summary").isString()).as("%s has a summary", name).isTrue();
            List<String> statuses = new ArrayList<>(op.get("responses").propertyNames());
            soft.assertThat(statuses).as("%s answers", name).anyMatch(s -> s.startsWith("2"));
            op.get("responses").properties().forEach(r -> {
                JsonNode content = r.getValue().path("content");
                if (r.getKey().startsWith("2")) {
                    content.properties().forEach(media -> {
                        soft.assertThat(media.getKey()).as("%s %s", name, r.getKey()).isEqualTo("application/json");
                        assertExample(soft, description, name + " " + r.getKey(), media.getValue());
                    });
                } else {
                    soft.assertThat(content.has("application/problem+json")).as("%s %s is a problem", name, r.getKey())
                            .isTrue();
                    soft.assertThat(r.getValue().path("x-problem-codes").isEmpty()).as("%s %s codes", name, r.getKey())
                            .isFalse();
                }
            });
            JsonNode body = op.path("requestBody").path("content").path("application/json");
            if (!body.isMissingNode()) {
                assertExample(soft, description, name + " request", body);
            }
        });
        soft.assertAll();
    }

    private static void assertExample(SoftAssertions soft, JsonNode description, String what, JsonNode media) {
        JsonNode example = media.get("example");
        soft.assertThat(example).as("%s has an example", what).isNotNull();
        JsonNode schema = resolve(description, media.path("schema"));
        if (example == null || !example.isObject() || !schema.has("properties")) {
            return;
        }
        soft.assertThat(schema.get("properties").propertyNames()).as("%s: the example's members are the schema's", what)
                .containsAll(example.propertyNames());
        schema.path("required").forEach(r -> soft.assertThat(example.has(r.asString()))
                .as("%s: the example has %s", what, r.asString()).isTrue());
    }

    private static JsonNode resolve(JsonNode description, JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        return ref.isEmpty() ? schema : description.at(ref.substring(1));
    }

    /**
     * Sends every operation without credentials: one that names a security requirement answers
     * 401, one that names none does not (its {@code 4xx} is then the body's or the path's fault).
     */
    public static void assertSecurityAsDescribed(JsonNode description, HttpTestClient http) {
        SoftAssertions soft = new SoftAssertions();
        forEachOperation(description, (name, op) -> {
            String[] parts = name.split(" ", 2);
            String path = VARIABLE.matcher(parts[1]).replaceAll(UUID.randomUUID().toString());
            byte[] body = op.has("requestBody") ? "{}".getBytes() : new byte[0];
            Response response = http.send(parts[0], path, op.has("requestBody") ? "application/json" : null, body);
            boolean secured = !op.path("security").isEmpty();
            soft.assertThat(response.status() == 401).as("%s secured (%s): %s", name, op.path("security"),
                    response.raw().body()).isEqualTo(secured);
        });
        soft.assertAll();
    }

    private interface OperationVisitor {
        void visit(String name, JsonNode operation);
    }

    private static void forEachOperation(JsonNode description, OperationVisitor visitor) {
        description.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (METHODS.contains(method.getKey())) {
                visitor.visit(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), method.getValue());
            }
        }));
    }

    /**
     * Writes the service's part to {@code target/openapi/<service>.json} and asserts that the
     * committed copy in {@code docs/openapi/} is the same document but for its {@code servers} (the
     * gateway's tests merge the committed copies); after a change of the API, copy the written file there.
     */
    public static void assertCommittedCopyIsCurrent(String service, JsonNode served) {
        // The server springdoc names is the test's own address.
        JsonNode description = served.deepCopy();
        ((ObjectNode) description).remove("servers");
        try {
            Path written = Path.of("target", "openapi", service + ".json");
            Files.createDirectories(written.getParent());
            Files.writeString(written, pretty(description));
            Path committed = COMMITTED.resolve(service + ".json");
            assertThat(committed).as("the committed description %s (copy %s there)", committed, written).exists();
            assertThat(committed(service)).as("%s is current: copy %s there", committed, written)
                    .isEqualTo(description);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed part of {@code service}. */
    public static JsonNode committed(String service) {
        return parse(read(COMMITTED.resolve(service + ".json")));
    }

    public static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** Indented, members sorted by name (so a diff shows what changed), a newline at the end. */
    public static String pretty(JsonNode node) {
        return Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(sorted(node)) + "\n";
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = Json.mapper().createObjectNode();
            new TreeSet<>(node.propertyNames()).forEach(name -> out.set(name, sorted(node.get(name))));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.mapper().createArrayNode();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
