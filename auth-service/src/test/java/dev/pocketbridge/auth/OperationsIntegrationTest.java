package dev.pocketbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.testsupport.HttpTestClient.Response;

class OperationsIntegrationTest extends AuthIntegrationTest {

    @Test
    void probesAndMetricsAreOnTheManagementPortWithoutAToken() {
        Response liveness = getManagement("/actuator/health/liveness");
        Response readiness = getManagement("/actuator/health/readiness");

        assertThat(managementPort).isNotEqualTo(port);
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.text("status")).isEqualTo("UP");
        assertThat(getManagement("/actuator/prometheus").status()).isEqualTo(200);
    }

    @Test
    void theActuatorIsNotOnTheServicePort() {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health", "/actuator"}) {
            assertThat(problemCode(get(path), 404)).as(path).isEqualTo("not_found");
        }
    }

    @Test
    void everyOtherPathNeedsABearerToken() {
        Response response = get("/api/v1/anything", "X-Request-ID", "ops-1");

        assertThat(problemCode(response, 401)).isEqualTo("unauthorized");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
}
