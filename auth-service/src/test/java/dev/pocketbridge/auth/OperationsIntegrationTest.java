package dev.pocketbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import dev.pocketbridge.testsupport.HttpTestClient.Response;

class OperationsIntegrationTest extends AuthIntegrationTest {

    @Test
    void probesAndMetricsAreOpenWithoutAToken() {
        Response liveness = get("/actuator/health/liveness");
        Response readiness = get("/actuator/health/readiness");

        assertThat(liveness.status()).isEqualTo(200);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.text("status")).isEqualTo("UP");
        assertThat(get("/actuator/prometheus").status()).isEqualTo(200);
    }

    @Test
    void everyOtherPathNeedsABearerToken() {
        Response response = get("/api/v1/anything", "X-Request-ID", "ops-1");

        assertThat(problemCode(response, 401)).isEqualTo("unauthorized");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
}
