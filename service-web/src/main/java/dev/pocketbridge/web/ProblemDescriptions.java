package dev.pocketbridge.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * The one way the REST API description states errors: every error response is
 * {@code application/problem+json} with the {@value #PROBLEM} schema (PROTOCOL §2), lists its
 * {@code code}s in its description and in {@value #CODES}, shows an example for each, and carries
 * {@code Retry-After} where the status has one (429, 503).
 */
final class ProblemDescriptions {

    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";
    /** The response's {@code code}s, for tools. */
    static final String CODES = "x-problem-codes";
    private static final String RETRY_AFTER = HttpHeaders.RETRY_AFTER;
    private static final String EXAMPLE_REQUEST_ID = "3f1c9a0e-6b2d-4c1e-9a57-2d1b8e4f7c60";

    private ProblemDescriptions() {
    }

    /** The {@value #PROBLEM} schema and the {@code Retry-After} header. */
    static void addComponents(Components components) {
        Schema<Object> problem = new ObjectSchema()
                .description("RFC 9457 problem details with PocketBridge's members code and request_id")
                .addProperty("type", new StringSchema().format("uri").example(Problems.TYPE_PREFIX + "invalid_request"))
                .addProperty("title", new StringSchema().example("Bad Request"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().description("for people; never a stack trace, SQL or a host name"))
                .addProperty("code", new StringSchema().description("stable and machine-readable (docs/protocol.md §2)")
                        .example("invalid_request"))
                .addProperty("request_id", new StringSchema().description("the X-Request-ID of the request")
                        .example(EXAMPLE_REQUEST_ID));
        problem.setRequired(List.of("type", "title", "status", "detail", "code", "request_id"));
        components.addSchemas(PROBLEM, problem);
        components.addHeaders(RETRY_AFTER, new Header()
                .description("Whole seconds to wait before retrying").schema(new IntegerSchema().minimum(BigDecimal.ONE)));
    }

    /** Adds {@code codes} to the operation's {@code status} response, creating it when it has none. */
    static void add(Operation operation, int status, List<String> codes) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        String key = Integer.toString(status);
        ApiResponse response = operation.getResponses().get(key);
        if (response == null || response.getExtensions() == null || !response.getExtensions().containsKey(CODES)) {
            response = new ApiResponse().content(new Content().addMediaType(PROBLEM_JSON,
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            response.addExtension(CODES, new ArrayList<String>());
            if (status == 429 || status == 503) {
                response.addHeaderObject(RETRY_AFTER, new Header().$ref("#/components/headers/" + RETRY_AFTER));
            }
            operation.getResponses().addApiResponse(key, response);
        }
        @SuppressWarnings("unchecked")
        List<String> known = (List<String>) response.getExtensions().get(CODES);
        MediaType media = response.getContent().get(PROBLEM_JSON);
        HttpStatus httpStatus = HttpStatus.valueOf(status);
        for (String code : codes) {
            if (!known.contains(code)) {
                known.add(code);
                media.addExamples(code, new Example().value(example(httpStatus, code)));
            }
        }
        response.setDescription(httpStatus.getReasonPhrase() + ": `code` " + String.join(", ", known.stream()
                .map(c -> "`" + c + "`").toList()));
    }

    /**
     * Moves the problem examples of every operation to {@code components.examples}, once each
     * ({@code <status>-<code>}), and refers to them there: the same problem is shown the same way
     * by every operation and every service.
     */
    static void shareExamples(OpenAPI api) {
        api.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> operation.getResponses()
                .forEach((status, response) -> {
                    MediaType media = response.getContent() == null ? null : response.getContent().get(PROBLEM_JSON);
                    if (media == null || media.getExamples() == null) {
                        return;
                    }
                    media.getExamples().replaceAll((code, example) -> {
                        if (example.get$ref() != null) {
                            return example;
                        }
                        String name = status + "-" + code;
                        api.getComponents().addExamples(name, example);
                        return new Example().$ref("#/components/examples/" + name);
                    });
                })));
    }

    private static Map<String, Object> example(HttpStatus status, String code) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Problems.TYPE_PREFIX + code);
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", "what went wrong, for people");
        body.put("code", code);
        body.put("request_id", EXAMPLE_REQUEST_ID);
        return body;
    }
}
