package dev.pocketbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.InternalApi;

/**
 * The closed internal network, black box across the real JVMs: auth-service's service tokens open
 * the internal API of device-service and event-service and no user API; device tokens open no
 * internal API; the actuator is on management ports, never on the gateway's public port.
 */
class InternalNetworkIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RunningSystem system;

    @BeforeAll
    static void system() {
        system = RunningSystem.get();
    }

    @Test
    void theInternalApiTakesServiceTokensFromAuthServiceOnly() throws Exception {
        Device device = Fixture.newUser(0, "internal");
        String userId = device.identity().userId();
        String deviceId = device.identity().deviceId();
        String service = serviceToken(system.serviceClientSecret()).body();
        String serviceToken = Json.mapper().readTree(service).get("access_token").asString();
        String[] internalPaths = {
                system.serviceUrl("device-service") + "/internal/v1/devices/" + deviceId,
                system.serviceUrl("event-service") + "/internal/v1/users/" + userId + "/events?device_id=" + deviceId};

        for (String url : internalPaths) {
            assertThat(status(get(url, null))).as(url).isEqualTo(401);
            assertThat(code(get(url, null))).isEqualTo("unauthorized");
            assertThat(status(get(url, device.accessToken()))).as(url).isEqualTo(403);
            assertThat(status(get(url, serviceToken))).as(url).isEqualTo(200);
        }
    }

    @Test
    void theTokenEndpointWantsTheSharedSecretAndItsTokenOpensNoUserApi() throws Exception {
        HttpResponse<String> refused = serviceToken(system.serviceClientSecret() + "-wrong");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(Json.mapper().readTree(refused.body()).get("code").asString()).isEqualTo("invalid_client");

        String serviceToken = Json.mapper().readTree(serviceToken(system.serviceClientSecret()).body())
                .get("access_token").asString();
        HttpResponse<String> devices = get(system.gateway(0) + "/api/v1/devices", serviceToken);
        assertThat(devices.statusCode()).isEqualTo(403);
        assertThat(code(devices)).isEqualTo("forbidden");
    }

    @Test
    void theActuatorIsOnTheManagementPortNotOnTheGatewaysPublicPort() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health", "/actuator",
                "/internal/v1/devices/00000000-0000-4000-8000-000000000000"}) {
            assertThat(status(get(system.gateway(0) + path, null))).as(path).isEqualTo(404);
        }
        assertThat(status(get(system.gateway(0) + "/health", null))).isEqualTo(200);
        assertThat(status(get(system.managementUrl("gateway-0") + "/actuator/prometheus", null))).isEqualTo(200);
        assertThat(status(get(system.managementUrl("gateway-0") + "/actuator/health/readiness", null)))
                .isEqualTo(200);
        assertThat(status(get(system.managementUrl("event-service") + "/actuator/prometheus", null))).isEqualTo(200);
    }

    private static HttpResponse<String> serviceToken(String secret) throws Exception {
        String basic = Base64.getEncoder()
                .encodeToString(("pocketbridge-services:" + secret).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(system.serviceUrl("auth-service") + InternalApi.SERVICE_TOKEN))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(HttpResponse<String> response) {
        return response.statusCode();
    }

    private static String code(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body()).get("code").asString();
    }
}
