package dev.pocketbridge.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

class EdgeIntegrationTest extends GatewayIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void serverInfoPublishesTheIdentityStoredInTheKeyFileAndTheLimits() throws Exception {
        HttpResponse<String> response = get("/api/v1/server-info", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.body());
        byte[] seed = Base64Url.decodeExact(Files.readString(KEY_FILE).strip(), 32).orElseThrow();
        assertThat(body.get("server_identity_pub").asString())
                .isEqualTo(Base64Url.encode(Ed25519.KeyPair.fromSeed(seed).publicKey()));
        assertThat(body.get("protocol_versions").get(0).asInt()).isEqualTo(1);
        assertThat(body.get("max_frame_bytes").asLong()).isEqualTo(MAX_FRAME_BYTES);
        JsonNode limits = body.get("limits");
        assertThat(limits.get("max_payload_bytes").asLong()).isEqualTo(1048576);
        assertThat(limits.get("max_inflight_events").asInt()).isEqualTo(100);
        assertThat(limits.get("replay_default_limit").asInt()).isEqualTo(100);
        assertThat(limits.get("replay_max_limit").asInt()).isEqualTo(1000);
        assertThat(limits.get("max_devices_per_user").asInt()).isEqualTo(5);
        assertThat(limits.get("clock_skew_ms").asLong()).isEqualTo(300000);
        assertThat(limits.get("handshake_timeout_ms").asLong()).isEqualTo(3000);
        assertThat(limits.get("session_max_age_ms").asLong()).isEqualTo(86400000);
        assertThat(limits.get("pre_handshake_frame_bytes").asInt()).isEqualTo(16384);
        assertThat(response.headers().allValues("X-Request-ID")).hasSize(1);
    }

    @Test
    void healthIs503WithEveryComponentWhenServicesAreDown() throws Exception {
        HttpResponse<String> response = get("/health", null);
        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.get("status").asString()).isEqualTo("DOWN");
        JsonNode components = body.get("components");
        assertThat(components.get("auth-service").get("status").asString()).isEqualTo("DOWN");
        assertThat(components.get("relay-service").get("status").asString()).isEqualTo("DOWN");
        // The stub has no readiness endpoint: 404 counts as not ready.
        assertThat(components.get("device-service").get("status").asString()).isEqualTo("DOWN");
        assertThat(components.get("event-service").get("status").asString()).isEqualTo("DOWN");
        assertThat(components.get("kafka").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void aRoutedRequestCarriesTheCallersSafeRequestIdOnceEachWay() throws Exception {
        HttpResponse<String> response = get("/api/v1/events", "trace-42.a:b");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("X-Request-ID")).containsExactly("trace-42.a:b");
        assertThat(STUB.routedRequestIds).contains("trace-42.a:b");
    }

    @Test
    void anUnsafeRequestIdIsReplacedByANewOne() throws Exception {
        HttpResponse<String> response = get("/api/v1/events", "x".repeat(65));
        assertThat(response.headers().allValues("X-Request-ID")).hasSize(1);
        String id = response.headers().firstValue("X-Request-ID").orElseThrow();
        assertThat(id).hasSize(36).isNotEqualTo("x".repeat(65));
        assertThat(STUB.routedRequestIds).contains(id);
    }

    @Test
    void anUnknownRouteIsAProblemWithCodeAndRequestId() throws Exception {
        HttpResponse<String> response = get("/api/v1/nothing-here", "req-404");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(404);
        assertThat(body.get("code").asString()).isEqualTo("not_found");
        assertThat(body.get("request_id").asString()).isEqualTo("req-404");
        assertThat(body.get("type").asString()).isNotBlank();
        assertThat(body.get("title").asString()).isNotBlank();
        assertThat(body.get("detail").asString()).isNotBlank();
        assertThat(response.headers().allValues("X-Request-ID")).containsExactly("req-404");
    }

    @Test
    void internalPathsAreNeverRouted() throws Exception {
        HttpResponse<String> response = get("/internal/v1/devices/00000000-0000-4000-8000-000000000000", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(response.body()).get("code").asString()).isEqualTo("not_found");
    }

    @Test
    void anUnreachableServiceIs503WithRetryAfterAndNoHostName() throws Exception {
        HttpResponse<String> response = get("/api/v1/auth/verify", "req-503");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.get("code").asString()).isEqualTo("unavailable");
        assertThat(body.get("request_id").asString()).isEqualTo("req-503");
        assertThat(response.body()).doesNotContain("127.0.0.1").doesNotContain(CLOSED_URL.substring(CLOSED_URL.lastIndexOf(':') + 1))
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void actuatorProbesAndPrometheusAreOnTheManagementPort() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(get(managementPort, "/actuator/health/liveness").statusCode()).isEqualTo(200);
        // Ready once this node reads its deliveries partition (the consumer starts in the background).
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(managementPort, "/actuator/health/readiness").statusCode() == 200);
        assertThat(get(managementPort, "/actuator/prometheus").statusCode()).isEqualTo(200);
    }

    @Test
    void thePublicPortServesNoActuator() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health", "/actuator/health/readiness",
                "/actuator", "/actuator/gateway/routes"}) {
            HttpResponse<String> response = get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(Json.mapper().readTree(response.body()).get("code").asString()).isEqualTo("not_found");
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (requestId != null) {
            request.header("X-Request-ID", requestId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
