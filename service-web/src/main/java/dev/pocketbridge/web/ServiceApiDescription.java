package dev.pocketbridge.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.io.Resource;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.ProblemCodes;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import tools.jackson.databind.JsonNode;

/**
 * Completes a servlet service's part of the REST API description: leaves out the internal API,
 * names the security each operation needs ({@code deviceBearer} by default, {@code adminBearer}
 * under {@code /api/v1/admin/}, none for the service's {@link PublicEndpoints}; an operation that
 * names its own with {@code @SecurityRequirement} keeps it), adds the errors every endpoint shares,
 * answers in {@code application/json}, and takes request and response examples from the
 * service's {@value #EXAMPLES} (operation id → {@code request}, {@code response}).
 */
final class ServiceApiDescription implements OpenApiCustomizer {

    static final String EXAMPLES = "api-examples.json";
    private static final String DEVICE_BEARER = ApiSecuritySchemes.DEVICE_BEARER;
    private static final String ADMIN_BEARER = ApiSecuritySchemes.ADMIN_BEARER;
    private static final String ADMIN_BASIC = ApiSecuritySchemes.ADMIN_BASIC;
    private static final PathPattern ADMIN_API = PathPatternParser.defaultInstance.parse("/api/v1/admin/**");
    private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;
    private static final Pattern SCHEMA_REF = Pattern.compile("\"#/components/schemas/([^\"]+)\"");

    private final String serviceName;
    private final PublicEndpoints publicEndpoints;
    private final JsonNode examples;

    ServiceApiDescription(String serviceName, PublicEndpoints publicEndpoints, Resource examples) {
        this.serviceName = serviceName;
        this.publicEndpoints = publicEndpoints;
        this.examples = read(examples);
    }

    private static JsonNode read(Resource resource) {
        if (!resource.exists()) {
            return Json.mapper().createObjectNode();
        }
        try (InputStream in = resource.getInputStream()) {
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void customise(OpenAPI api) {
        api.info(new Info().title("PocketBridge REST API: " + serviceName).version("1")
                .description("The part of the REST API (docs/protocol.md §2) that " + serviceName
                        + " serves. The gateway publishes every service's part merged at /v3/api-docs."));
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        addSecuritySchemes(api.getComponents());
        ProblemDescriptions.addComponents(api.getComponents());
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().keySet().removeIf(path -> BearerApiSecurity.INTERNAL_API_PREFIX.equals(firstSegment(path)));
        api.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> describe(path, method, operation)));
        dropUnusedSchemas(api);
        ProblemDescriptions.shareExamples(api);
    }

    /** The schemas only the internal API used go with it. */
    private static void dropUnusedSchemas(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        Set<String> used = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(schemaRefs(api.getPaths()));
        while (!next.isEmpty()) {
            String name = next.pop();
            if (used.add(name) && schemas.containsKey(name)) {
                next.addAll(schemaRefs(schemas.get(name)));
            }
        }
        schemas.keySet().retainAll(used);
    }

    private static List<String> schemaRefs(Object model) {
        try {
            Matcher refs = SCHEMA_REF.matcher(io.swagger.v3.core.util.Json.mapper().writeValueAsString(model));
            List<String> names = new ArrayList<>();
            while (refs.find()) {
                names.add(refs.group(1));
            }
            return names;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstSegment(String path) {
        int end = path.indexOf('/', 1);
        return end < 0 ? path : path.substring(0, end);
    }

    private void describe(String path, PathItem.HttpMethod method, Operation operation) {
        if (operation.getSecurity() == null) {
            String scheme = publicEndpoints.isPublic(method.name(), path) ? null
                    : ADMIN_API.matches(PathContainer.parsePath(path)) ? ADMIN_BEARER : DEVICE_BEARER;
            operation.setSecurity(scheme == null ? List.of() : List.of(new SecurityRequirement().addList(scheme)));
        }
        boolean bearer = operation.getSecurity().stream()
                .anyMatch(r -> r.containsKey(DEVICE_BEARER) || r.containsKey(ADMIN_BEARER));
        if (operation.getRequestBody() != null) {
            ProblemDescriptions.add(operation, 400, List.of(ProblemCodes.INVALID_REQUEST));
            ProblemDescriptions.add(operation, 413, List.of(ProblemCodes.PAYLOAD_TOO_LARGE));
        } else if (operation.getParameters() != null && operation.getParameters().stream().anyMatch(p -> "query".equals(p.getIn()))) {
            ProblemDescriptions.add(operation, 400, List.of(ProblemCodes.INVALID_REQUEST));
        }
        if (bearer) {
            // A missing or refused token; another kind of token (a device's on an admin endpoint, say);
            // the per-user limit; a token that cannot be checked right now.
            ProblemDescriptions.add(operation, 401, List.of(ProblemCodes.UNAUTHORIZED));
            ProblemDescriptions.add(operation, 403, List.of(ProblemCodes.FORBIDDEN));
            ProblemDescriptions.add(operation, 429, List.of(ProblemCodes.RATE_LIMITED));
            ProblemDescriptions.add(operation, 503, List.of(ProblemCodes.UNAVAILABLE));
        }
        ProblemDescriptions.add(operation, 500, List.of(ProblemCodes.INTERNAL_ERROR));
        answerJson(operation);
        addExamples(operation);
    }

    /** springdoc's default for responses is any type; the API answers JSON. */
    private static void answerJson(Operation operation) {
        operation.getResponses().forEach((status, response) -> {
            Content content = response.getContent();
            if (content != null && content.containsKey("*/*")) {
                MediaType media = content.remove("*/*");
                content.addMediaType(JSON, media);
            }
        });
    }

    private void addExamples(Operation operation) {
        JsonNode example = operation.getOperationId() == null ? null : examples.get(operation.getOperationId());
        if (example == null) {
            return;
        }
        if (example.has("request") && operation.getRequestBody() != null
                && operation.getRequestBody().getContent().get(JSON) != null) {
            operation.getRequestBody().getContent().get(JSON).setExample(plain(example.get("request")));
        }
        if (example.has("response")) {
            operation.getResponses().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("2"))
                    .map(Map.Entry::getValue)
                    .map(ApiResponse::getContent)
                    .filter(c -> c != null && c.get(JSON) != null)
                    .forEach(c -> c.get(JSON).setExample(plain(example.get("response"))));
        }
    }

    /** As plain maps and lists, which swagger-core writes as JSON. */
    private static Object plain(JsonNode node) {
        return Json.mapper().convertValue(node, Object.class);
    }

    private static void addSecuritySchemes(Components components) {
        components.addSecuritySchemes(DEVICE_BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("JWT")
                .description("A device's access token, from POST /api/v1/auth/token or /api/v1/auth/refresh"));
        components.addSecuritySchemes(ADMIN_BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("JWT")
                .description("An admin's access token (roles [\"admin\"]), from POST /api/v1/auth/admin/token"));
        components.addSecuritySchemes(ADMIN_BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("basic").description("The deployment's admin credentials (pocketbridge.auth.admin.*)"));
    }
}
