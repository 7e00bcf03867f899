package dev.pocketbridge.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.pocketbridge.testsupport.ApiDescriptions;
import dev.pocketbridge.testsupport.HttpTestClient;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import tools.jackson.databind.JsonNode;

/** device-service's part of the REST API description (springdoc at /v3/api-docs) against its code. */
class ApiDescriptionIntegrationTest extends DeviceIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private JsonNode description() {
        Response response = get("/v3/api-docs");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void describesEveryPublicEndpointOfTheCodeAndNothingElse() {
        assertThat(ApiDescriptions.operations(description()))
                .isEqualTo(ApiDescriptions.mappedOperations(mappings, "dev.pocketbridge.device"))
                .contains("POST /api/v1/devices/register", "PATCH /api/v1/devices/{}", "GET /api/v1/admin/audit");
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
        ApiDescriptions.assertCommittedCopyIsCurrent("device-service", description());
    }
}
