package dev.pocketbridge.device.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.DeviceLookups;
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
    void oneLookupAnswersEveryDeviceAskedInItsOrderNullWhenNotFound() {
        TestDevice laptop = registered("Laptop");
        TestDevice phone = registered("Phone");
        List<String> asked = List.of(phone.deviceId(), UUID.randomUUID().toString(), laptop.deviceId(),
                laptop.deviceId().toUpperCase(), "nope", phone.deviceId());

        Response response = post(InternalApi.DEVICE_LOOKUPS, new DeviceLookups.Query(asked), serviceBearer());

        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        List<DeviceCredentials> answer = Json.read(response.raw().body(), DeviceLookups.Answer.class).devices();
        assertThat(answer).extracting(d -> d == null ? null : d.deviceId())
                .containsExactly(phone.deviceId(), null, laptop.deviceId(), null, null, phone.deviceId());
        assertThat(answer.get(2)).isEqualTo(Json.read(get("/internal/v1/devices/" + laptop.deviceId(), serviceBearer())
                .raw().body(), DeviceCredentials.class));
    }

    @Test
    void aMalformedLookupIsAnInvalidRequest() {
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        List<String> tooMany = IntStream.rangeClosed(0, InternalApi.MAX_BATCH).mapToObj(i -> UUID.randomUUID().toString())
                .toList();
        for (DeviceLookups.Query query : List.of(new DeviceLookups.Query(List.of()), new DeviceLookups.Query(null),
                new DeviceLookups.Query(withNull), new DeviceLookups.Query(tooMany))) {
            assertThat(problemCode(post(InternalApi.DEVICE_LOOKUPS, query, serviceBearer()), 400))
                    .isEqualTo("invalid_request");
        }
        List<String> full = tooMany.subList(0, InternalApi.MAX_BATCH);
        assertThat(post(InternalApi.DEVICE_LOOKUPS, new DeviceLookups.Query(full), serviceBearer()).status())
                .isEqualTo(200);
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
        DeviceLookups.Query lookup = new DeviceLookups.Query(List.of(device.deviceId()));
        assertThat(problemCode(post(InternalApi.DEVICE_LOOKUPS, lookup, device.bearer()), 403)).isEqualTo("forbidden");
        assertThat(problemCode(post(InternalApi.DEVICE_LOOKUPS, lookup), 401)).isEqualTo("unauthorized");
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
