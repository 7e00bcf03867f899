package dev.pocketbridge.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.TestIssuer;

/**
 * event-service's HTTP API is the internal API: a service token or nothing. The actuator is on the
 * management port only.
 */
class SecurityIntegrationTest extends EventServiceIntegrationTest {

    private static String replay(String userId, String deviceId) {
        return "/internal/v1/users/" + userId + "/events?device_id=" + deviceId;
    }

    /** Both internal calls the gateway makes about a device (positions, replay), each with exactly {@code headers}. */
    private Map<String, Response> internalCalls(String user, String device, String... headers) {
        return Map.of(InternalApi.DEVICE_POSITIONS, post(InternalApi.DEVICE_POSITIONS, positionsQuery(user, device), headers),
                InternalApi.REPLAY, getWithHeaders(replay(user, device), headers));
    }

    @Test
    void withoutACredentialEveryCallIsUnauthorized() {
        Map<String, Response> calls = new HashMap<>(internalCalls(uuid(), uuid(), "X-Request-ID", "sec-1"));
        calls.put("/anything", getWithHeaders("/anything", "X-Request-ID", "sec-1"));

        calls.forEach((call, response) -> {
            assertThat(problemCode(response, 401)).as(call).isEqualTo("unauthorized");
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(response.header("X-Request-ID")).isEqualTo("sec-1");
        });
    }

    @Test
    void aDeviceOrAdminTokenIsForbidden() {
        String user = uuid();
        String device = uuid();

        for (String token : new String[] {AUTH.deviceToken(user, device), AUTH.adminToken()}) {
            internalCalls(user, device, "Authorization", "Bearer " + token).forEach((call, response) ->
                    assertThat(problemCode(response, 403)).as(call).isEqualTo("forbidden"));
        }
    }

    @Test
    void aServiceTokenReadsTheLog() {
        internalCalls(uuid(), uuid(), "Authorization", "Bearer " + AUTH.serviceToken()).forEach((call, response) ->
                assertThat(response.status()).as(call).isEqualTo(200));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsUnauthorized() {
        String forged = AUTH.signWithUnpublishedKey(new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER)
                .audience(InternalApi.SERVICE_AUDIENCE).claim("scope", InternalApi.SERVICE_SCOPE)
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());

        assertThat(problemCode(post(InternalApi.DEVICE_POSITIONS, positionsQuery(uuid(), uuid()), "Authorization", "Bearer " + forged), 401))
                .isEqualTo("unauthorized");
    }

    @Test
    void theActuatorIsOnTheManagementPortOnly() {
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(getManagement("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(getManagement("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(getManagement("/actuator/prometheus").status()).isEqualTo(200);
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health"}) {
            assertThat(getWithHeaders(path).status()).as(path).isEqualTo(404);
        }
    }
}
