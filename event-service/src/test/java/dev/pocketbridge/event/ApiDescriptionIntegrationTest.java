package dev.pocketbridge.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.pocketbridge.testsupport.ApiDescriptions;
import dev.pocketbridge.testsupport.HttpTestClient;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import tools.jackson.databind.JsonNode;

/** event-service's part of the REST API description (springdoc at /v3/api-docs) against its code. */
class ApiDescriptionIntegrationTest extends EventServiceIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private JsonNode description() {
        Response response = getWithHeaders("/v3/api-docs");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void describesEveryPublicEndpointOfTheCodeAndNothingElse() {
        assertThat(ApiDescriptions.operations(description()))
                .isEqualTo(ApiDescriptions.mappedOperations(mappings, "dev.pocketbridge.event"))
                .containsExactly("GET /api/v1/events");
    }

    @Test
    void everyOperationHasSchemasProblemsAndExamples() {
        ApiDescriptions.assertComplete(description());
    }

    @Test
    void theDescribedSecurityIsWhatTheServiceRequires() {
        ApiDescriptions.assertSecurityAsDescribed(description(), new HttpTestClient(() -> port));
    }

    @Test
    void theCommittedCopyIsCurrent() {
        ApiDescriptions.assertCommittedCopyIsCurrent("event-service", description());
    }
}
