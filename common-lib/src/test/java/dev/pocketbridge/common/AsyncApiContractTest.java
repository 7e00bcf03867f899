package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.crypto.Pseudonyms;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.AnalyticsEvent;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.DeviceAck;
import dev.pocketbridge.common.kafka.DeviceCredentialsRecord;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Kafka payload records of common-lib and their schemas in docs/asyncapi.yaml say the same:
 * for every message the document lists, samples of its records, written with {@link Json}, are
 * valid against its payload schema (names, required members, types, constants, enums), and the
 * members each schema names are exactly those of its record (recursively, into nested objects),
 * so a member added on one side only fails the build. Discriminated payloads ({@code kind}) name
 * the same kinds on both sides.
 */
class AsyncApiContractTest {

    private static final Path ASYNCAPI = Path.of("..", "docs", "asyncapi.yaml");
    private static final String USER = "5f0e9c1a-0d7b-4c8e-a7d4-2b9f6e3c1a28";
    private static final String DEVICE = "7a1e9c1a-0d7b-4c8e-a7d4-2b9f6e3c1a28";
    private static final String SESSION = "0b8c2f4e-8a55-4c57-9d2b-5a1a4c3f7e10";
    private static final String EVENT = "9c3d5e7f-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
    private static final long AT = 1_700_000_000_000L;
    private static final Origin ORIGIN = new Origin(3, SESSION);
    private static final ServerFrame.DeliveredEvent DELIVERED = new ServerFrame.DeliveredEvent(12, EVENT, DEVICE, 7,
            "notes", 4, "note.v1", "AQID", AT + 86_400_000L, AT + 5, true);
    private static final PropertyNamingStrategy SNAKE = PropertyNamingStrategies.SNAKE_CASE;

    private final JsonNode document = new YAMLMapper().readTree(ASYNCAPI.toFile());
    private final JsonNode schemas = document.path("components").path("schemas");
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    /** Samples of every record of each message; together they set every optional member at least once. */
    private static Map<String, List<Object>> samples() {
        Pseudonyms pseudonyms = Pseudonyms.fromBase64Url("dGhlIGFuYWx5dGljcyBrZXkgb2YgdGhlIHRlc3RzIQ0");
        Map<String, List<Object>> samples = new LinkedHashMap<>();
        samples.put("InboundEvent", List.of(InboundEvent.of(USER, DEVICE, "mobile", ORIGIN, AT,
                new ClientFrame.SendEvent(EVENT, 7L, "notes", "note.v1", "AQID", AT + 86_400_000L, 3L))));
        samples.put("StoredEvent", List.of(new StoredEvent(Topics.SCHEMA_VERSION, USER, "duplicate", ORIGIN, DELIVERED)));
        samples.put("DeviceAck", List.of(new DeviceAck(Topics.SCHEMA_VERSION, USER, DEVICE, 12, AT)));
        samples.put("Delivery", List.of(
                new Delivery.Outcome(1, USER, SESSION, new ServerFrame.EventAck(EVENT, 7L, 12, 4, "stored", false)),
                new Delivery.LiveEvent(1, USER, List.of(DEVICE), DELIVERED),
                new Delivery.CloseSession(1, USER, SESSION, 4409)));
        samples.put("Presence", List.of(new Presence.NodeStarted(1, AT, AT + 1),
                new Presence.SessionOpened(1, AT, USER, DEVICE, SESSION, AT + 2),
                new Presence.SessionClosed(1, AT, USER, DEVICE, SESSION, AT + 3)));
        samples.put("AccountChange", List.of(new AccountChange.DeviceRevoked(USER, DEVICE, "lost", AT),
                new AccountChange.DeviceUnrevoked(USER, DEVICE, AT), new AccountChange.DeviceRemoved(USER, DEVICE, AT),
                new AccountChange.UserDeleted(USER, List.of(DEVICE), AT)));
        samples.put("DeviceCredentials", List.of(new DeviceCredentialsRecord(Topics.SCHEMA_VERSION, DEVICE, USER,
                "Mb6JqRb2Gj5iJ3zPa1f8kZ7mQx0cW4vN9tY2sL5eH1A", "mobile", true)));
        samples.put("AnalyticsEvent", List.of(
                new AnalyticsEvent(Topics.SCHEMA_VERSION, AnalyticsEvent.STORED, null, pseudonyms.user(USER),
                        pseudonyms.device(DEVICE), "desktop", pseudonyms.stream(USER, "notes"), pseudonyms.event(EVENT),
                        "note.v1", 3L, AT, AT + 5, AT + 6),
                new AnalyticsEvent(Topics.SCHEMA_VERSION, AnalyticsEvent.REJECTED, RejectCode.EXPIRED.wire(),
                        pseudonyms.user(USER), pseudonyms.device(DEVICE), "web", pseudonyms.stream(USER, "notes"),
                        pseudonyms.event(EVENT), "note.v1", 0L, AT, null, AT + 6)));
        return samples;
    }

    @Test
    void everyMessageOfTheDocumentHasSamples() {
        assertThat(names(document.path("components").path("messages"))).isEqualTo(new TreeSet<>(samples().keySet()));
    }

    @Test
    void everySampleIsValidAgainstItsMessagesPayloadSchema() {
        samples().forEach((message, records) -> {
            Schema schema = schemaOf(payloadSchemaName(message));
            for (Object record : records) {
                String json = Json.write(record);
                List<Error> errors = schema.validate(Json.mapper().readTree(json));
                assertThat(errors).as(message + ": " + json).isEmpty();
            }
        });
    }

    @Test
    void eachSchemaNamesExactlyTheMembersOfItsRecord() {
        samples().forEach((message, records) -> {
            Map<String, Set<String>> written = new LinkedHashMap<>();
            Map<String, Class<?>> types = new LinkedHashMap<>();
            for (Object record : records) {
                JsonNode json = Json.mapper().readTree(Json.write(record));
                String branch = branch(payloadSchemaName(message), json);
                written.computeIfAbsent(branch, b -> new TreeSet<>()).addAll(paths("", json, resolve(ref(branch))));
                types.put(branch, record.getClass());
            }
            types.forEach((branch, type) -> {
                Set<String> inSchema = schemaPaths("", resolve(ref(branch)));
                assertThat(recordPaths("", type)).as("members of %s vs schema %s", type.getName(), branch)
                        .isEqualTo(inSchema);
                assertThat(written.get(branch)).as("members the samples of %s write (set each at least once)", branch)
                        .isEqualTo(inSchema);
            });
        });
    }

    @Test
    void discriminatedPayloadsNameTheSameKindsOnBothSides() {
        Map<String, Class<?>> interfaces = Map.of("Delivery", Delivery.class, "Presence", Presence.class,
                "AccountChange", AccountChange.class);
        interfaces.forEach((schemaName, type) -> {
            JsonNode schema = schemas.path(schemaName);
            assertThat(schema.path("discriminator").asString()).as(schemaName).isEqualTo("kind");
            assertThat(type.getAnnotation(JsonTypeInfo.class).property()).isEqualTo("kind");
            Set<String> documented = new TreeSet<>();
            schema.path("oneOf").forEach(branch -> documented.add(
                    resolve(branch).path("properties").path("kind").path("const").asString()));
            Set<String> declared = Arrays.stream(type.getAnnotation(JsonSubTypes.class).value())
                    .map(JsonSubTypes.Type::name).collect(Collectors.toCollection(TreeSet::new));
            assertThat(documented).as(schemaName).isEqualTo(declared);
        });
    }

    @Test
    void analyticsEnumsAreTheCodesAndOutcomesOfTheCode() {
        JsonNode properties = schemas.path("AnalyticsEvent").path("properties");
        assertThat(strings(properties.path("reject_code").path("enum"))).isEqualTo(
                Arrays.stream(RejectCode.values()).map(RejectCode::wire).collect(Collectors.toCollection(TreeSet::new)));
        assertThat(strings(properties.path("outcome").path("enum"))).isEqualTo(
                new TreeSet<>(List.of(AnalyticsEvent.STORED, AnalyticsEvent.DUPLICATE, AnalyticsEvent.REJECTED)));
        assertThat(strings(resolve(properties.path("device_type")).path("enum")))
                .isEqualTo(new TreeSet<>(List.of("mobile", "desktop", "web")));
    }

    // --- the document --------------------------------------------------------------------------

    private String payloadSchemaName(String message) {
        String ref = document.path("components").path("messages").path(message).path("payload").path("$ref").asString();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    /** The schema a discriminated payload's record matches (by {@code kind}), else the payload's own. */
    private String branch(String schemaName, JsonNode json) {
        JsonNode schema = schemas.path(schemaName);
        if (!schema.has("oneOf")) {
            return schemaName;
        }
        for (JsonNode option : schema.path("oneOf")) {
            String name = option.path("$ref").asString().substring("#/components/schemas/".length());
            if (schemas.path(name).path("properties").path("kind").path("const").asString()
                    .equals(json.path("kind").asString())) {
                return name;
            }
        }
        throw new AssertionError(schemaName + " has no branch of kind " + json.path("kind"));
    }

    private Schema schemaOf(String schemaName) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$ref", "#/components/schemas/" + schemaName);
        root.putObject("components").set("schemas", schemas);
        return registry.getSchema(root);
    }

    private static JsonNode ref(String schemaName) {
        return Json.mapper().createObjectNode().put("$ref", "#/components/schemas/" + schemaName);
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        while (current.has("$ref")) {
            String ref = current.path("$ref").asString();
            current = schemas.path(ref.substring("#/components/schemas/".length()));
        }
        return current;
    }

    /** The member paths a schema names: into every nested object schema with {@code properties}, and array items. */
    private Set<String> schemaPaths(String prefix, JsonNode schema) {
        Set<String> paths = new TreeSet<>();
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String path = prefix + property.getKey();
            paths.add(path);
            JsonNode value = resolve(property.getValue());
            if (value.has("items")) {
                value = resolve(value.path("items"));
                path = path + "[]";
            }
            if (value.has("properties")) {
                paths.addAll(schemaPaths(path + ".", value));
            }
        }
        return paths;
    }

    /** The member paths a written record has, as far as its schema describes nested objects. */
    private Set<String> paths(String prefix, JsonNode json, JsonNode schema) {
        Set<String> paths = new TreeSet<>();
        for (Map.Entry<String, JsonNode> member : json.properties()) {
            String path = prefix + member.getKey();
            paths.add(path);
            JsonNode memberSchema = resolve(schema.path("properties").path(member.getKey()));
            JsonNode value = member.getValue();
            if (value.isArray() && memberSchema.has("items")) {
                JsonNode items = resolve(memberSchema.path("items"));
                for (JsonNode item : value) {
                    if (items.has("properties")) {
                        paths.addAll(paths(path + "[].", item, items));
                    }
                }
            } else if (value.isObject() && memberSchema.has("properties")) {
                paths.addAll(paths(path + ".", value, memberSchema));
            }
        }
        return paths;
    }

    // --- the records ---------------------------------------------------------------------------

    /**
     * The member paths of a record type as {@link Json} names them: its components in snake_case, the
     * discriminator of a polymorphic supertype ({@code kind}, {@code type}), into nested records and
     * lists of records.
     */
    private static Set<String> recordPaths(String prefix, Class<?> type) {
        Set<String> paths = new TreeSet<>();
        for (Class<?> supertype : type.getInterfaces()) {
            JsonTypeInfo info = supertype.getAnnotation(JsonTypeInfo.class);
            if (info == null && supertype.getInterfaces().length > 0) {
                info = supertype.getInterfaces()[0].getAnnotation(JsonTypeInfo.class);
            }
            if (info != null) {
                paths.add(prefix + info.property());
            }
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String path = prefix + SNAKE.nameForField(null, null, component.getName());
            paths.add(path);
            Class<?> nested = component.getType();
            Type generic = component.getGenericType();
            if (List.class.isAssignableFrom(nested) && generic instanceof ParameterizedType list
                    && list.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
                paths.addAll(recordPaths(path + "[].", element));
            } else if (nested.isRecord()) {
                paths.addAll(recordPaths(path + ".", nested));
            }
        }
        return paths;
    }

    private static Set<String> names(JsonNode object) {
        return new TreeSet<>(object.propertyNames());
    }

    private static Set<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return new TreeSet<>(values);
    }
}
