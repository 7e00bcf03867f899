package dev.pocketbridge.gateway.apidocs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import dev.pocketbridge.common.codec.Json;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import tools.jackson.databind.JsonNode;

/**
 * The one REST API description of PocketBridge (springdoc, {@code /v3/api-docs}, shown by Swagger
 * UI at {@code /swagger-ui.html}): the gateway's own endpoints, described by springdoc from its
 * controllers (open to all, examples from {@value #EXAMPLES}), with every routed service's part
 * merged in ({@link ServiceDescriptions}, {@link ApiDocsMerger}).
 */
@Configuration(proxyBeanMethods = false)
class GatewayApiDescription {

    static final String EXAMPLES = "api-examples.json";

    /** Schemas named as the wire names them ({@code snake_case}), like the services'. */
    @Bean
    ModelResolver snakeCaseModels() {
        return new ModelResolver(io.swagger.v3.core.util.Json.mapper().copy()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenApiCustomizer mergedApiDescription(ServiceDescriptions descriptions) {
        JsonNode examples = examples();
        return api -> {
            api.info(new Info().title("PocketBridge REST API").version("1").description(
                    "Every endpoint of docs/protocol.md §2, through the gateway. Errors are `application/problem+json` "
                            + "with a stable `code`; every response carries `X-Request-ID`. Merged by the gateway from "
                            + "each service's own description."));
            describeOwnOperations(api, examples);
            ApiDocsMerger.merge(api, descriptions.parts(), descriptions.routedPaths());
        };
    }

    private static void describeOwnOperations(OpenAPI api, JsonNode examples) {
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            operation.setSecurity(List.of());
            JsonNode example = operation.getOperationId() == null ? null : examples.get(operation.getOperationId());
            if (example != null && example.has("response")) {
                Object value = Json.mapper().convertValue(example.get("response"), Object.class);
                operation.getResponses().forEach((status, response) -> {
                    if (status.startsWith("2") && response.getContent() != null) {
                        response.getContent().values().forEach(media -> media.setExample(value));
                    }
                });
            }
        }));
    }

    private static JsonNode examples() {
        ClassPathResource resource = new ClassPathResource(EXAMPLES);
        try (InputStream in = resource.getInputStream()) {
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
