package dev.pocketbridge.device.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.device.AuthServiceStub;
import dev.pocketbridge.device.DeviceIntegrationTest;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import tools.jackson.databind.JsonNode;

class InternalDeviceIntegrationTest extends DeviceIntegrationTest {

    @Test
    void answersTheCredentialsOfAKnownDeviceToAServiceToken() {
        TestDevice device = registered("Laptop");

        Response response = get("/internal/v1/devices/" + device.deviceId(), serviceBearer());

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("device_id").asString()).isEqualTo(device.deviceId());
        assertThat(body.get("user_id").asString()).isEqualTo(device.userId());
        assertThat(body.get("public_key").asString()).hasSize(43);
        assertThat(body.get("active").asBoolean()).isTrue();
    }

    @Test
    void answersNotFoundForUnknownAndNonCanonicalIds() {
        TestDevice device = registered("Laptop");

        for (String id : new String[] {UUID.randomUUID().toString(), device.deviceId().toUpperCase(), "nope",
                "%7B" + device.deviceId() + "%7D"}) {
            assertThat(problemCode(get("/internal/v1/devices/" + id, serviceBearer()), 404)).as(id)
                    .isEqualTo("not_found");
        }
    }

    @Test
    void withoutACredentialTheInternalApiIsUnauthorized() {
        TestDevice device = registered("Laptop");

        Response response = get("/internal/v1/devices/" + device.deviceId());

        assertThat(problemCode(response, 401)).isEqualTo("unauthorized");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void aDeviceOrAdminTokenIsForbiddenOnTheInternalApi() {
        TestDevice device = registered("Laptop");
        String path = "/internal/v1/devices/" + device.deviceId();

        assertThat(problemCode(get(path, device.bearer()), 403)).isEqualTo("forbidden");
        assertThat(problemCode(get(path, "Authorization", "Bearer " + AUTH.adminToken()), 403)).isEqualTo("forbidden");
    }

    @Test
    void aServiceTokenNeedsBothTheInternalAudienceAndScope() {
        TestDevice device = registered("Laptop");
        String path = "/internal/v1/devices/" + device.deviceId();
        String scopeOnly = AUTH.sign(serviceLike().claim("scope", InternalApi.SERVICE_SCOPE).build());
        String audienceOnly = AUTH.sign(serviceLike().audience(InternalApi.SERVICE_AUDIENCE).build());

        assertThat(problemCode(get(path, "Authorization", "Bearer " + scopeOnly), 403)).isEqualTo("forbidden");
        assertThat(problemCode(get(path, "Authorization", "Bearer " + audienceOnly), 403)).isEqualTo("forbidden");
    }

    private static JWTClaimsSet.Builder serviceLike() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(AuthServiceStub.ISSUER).subject("service:someone")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)));
    }

    @Test
    void aServiceTokenIsForbiddenOnTheUserApi() {
        Response response = get("/api/v1/devices", serviceBearer());

        assertThat(problemCode(response, 403)).isEqualTo("forbidden");
    }
}
