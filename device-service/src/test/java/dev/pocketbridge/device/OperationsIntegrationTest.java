package dev.pocketbridge.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.testsupport.HttpTestClient.Response;

class OperationsIntegrationTest extends DeviceIntegrationTest {

    @Test
    void probesAndMetricsAreOnTheManagementPortWithoutAToken() {
        Response readiness = getManagement("/actuator/health/readiness");

        assertThat(managementPort).isNotEqualTo(port);
        assertThat(getManagement("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.text("status")).isEqualTo("UP");
        assertThat(getManagement("/actuator/prometheus").status()).isEqualTo(200);
    }

    @Test
    void theActivityListenersProgressIsMeasured() {
        // ConsumerProgress watches it: it reports it, and starts it again if it stops after an error.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                getManagement("/actuator/prometheus").raw().body())
                .contains("pocketbridge_kafka_consumer_stalled{listener=\"device-activity\"} 0.0"));
    }

    @Test
    void theActuatorIsNotOnTheServicePort() {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health", "/actuator"}) {
            assertThat(problemCode(get(path), 404)).as(path).isEqualTo("not_found");
        }
    }

    @Test
    void everyOtherPathNeedsABearerTokenAndEchoesTheRequestId() {
        Response response = get("/api/v1/anything", "X-Request-ID", "ops-1");

        assertThat(problemCode(response, 401)).isEqualTo("unauthorized");
        assertThat(response.header("X-Request-ID")).isEqualTo("ops-1");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
}
