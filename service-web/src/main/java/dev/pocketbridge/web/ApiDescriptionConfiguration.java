package dev.pocketbridge.web;

import java.util.List;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.io.ResourceLoader;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;

/**
 * The one REST API description of the servlet services (springdoc, at
 * {@value PublicEndpoints#API_DOCS} on the service's port; the gateway merges every service's
 * into one): schemas named as the wire names them ({@code snake_case}), errors as problem details
 * ({@link ProblemDescriptions}: the shared ones added by rule, the others from
 * {@link ProblemResponse} on the handler method), security from the service's
 * {@link PublicEndpoints} and examples from its {@code api-examples.json}
 * ({@link ServiceApiDescription}); the internal API is left out.
 */
@Configuration(proxyBeanMethods = false)
class ApiDescriptionConfiguration {

    /**
     * springdoc reads models with swagger-core's own (Jackson 2) mapper, which knows nothing of the
     * wire's naming ({@link dev.pocketbridge.common.codec.Json}): give it the same.
     */
    @Bean
    ModelResolver snakeCaseModels() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    /**
     * Replaces the generic error responses springdoc derives from the exception handlers with the
     * endpoint's own {@link ProblemResponse}s.
     */
    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handlerMethod) -> {
            if (operation.getResponses() != null) {
                operation.getResponses().keySet().removeIf(status -> !status.startsWith("2"));
            }
            for (ProblemResponse problem : AnnotatedElementUtils.findMergedRepeatableAnnotations(
                    handlerMethod.getMethod(), ProblemResponse.class, ProblemResponses.class)) {
                ProblemDescriptions.add(operation, problem.status(), List.of(problem.codes()));
            }
            return operation;
        };
    }

    @Bean
    OpenApiCustomizer serviceApiDescription(@Value("${spring.application.name:service}") String serviceName,
            ObjectProvider<PublicEndpoints> publicEndpoints, ResourceLoader resources) {
        return new ServiceApiDescription(serviceName, publicEndpoints.getIfAvailable(PublicEndpoints::of),
                resources.getResource("classpath:" + ServiceApiDescription.EXAMPLES));
    }
}
