package dev.pocketbridge.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;

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

    private static String position(String userId, String deviceId) {
        return "/internal/v1/users/" + userId + "/devices/" + deviceId + "/position";
    }

    private static String replay(String userId, String deviceId) {
        return "/internal/v1/users/" + userId + "/events?device_id=" + deviceId;
    }

    @Test
    void withoutACredentialEveryCallIsUnauthorized() {
        String user = uuid();
        String device = uuid();

        for (String path : new String[] {position(user, device), replay(user, device), "/anything"}) {
            Response response = getWithHeaders(path, "X-Request-ID", "sec-1");
            assertThat(problemCode(response, 401)).as(path).isEqualTo("unauthorized");
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(response.header("X-Request-ID")).isEqualTo("sec-1");
        }
    }

    @Test
    void aDeviceOrAdminTokenIsForbidden() {
        String user = uuid();
        String device = uuid();

        for (String token : new String[] {AUTH.deviceToken(user, device), AUTH.adminToken()}) {
            for (String path : new String[] {position(user, device), replay(user, device)}) {
                assertThat(problemCode(getWithHeaders(path, "Authorization", "Bearer " + token), 403)).as(path)
                        .isEqualTo("forbidden");
            }
        }
    }

    @Test
    void aServiceTokenReadsTheLog() {
        String user = uuid();
        String device = uuid();
        String[] service = {"Authorization", "Bearer " + AUTH.serviceToken()};

        assertThat(getWithHeaders(position(user, device), service).status()).isEqualTo(200);
        assertThat(getWithHeaders(replay(user, device), service).status()).isEqualTo(200);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsUnauthorized() {
        String forged = AUTH.signWithUnpublishedKey(new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER)
                .audience(InternalApi.SERVICE_AUDIENCE).claim("scope", InternalApi.SERVICE_SCOPE)
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());

        assertThat(problemCode(getWithHeaders(position(uuid(), uuid()), "Authorization", "Bearer " + forged), 401))
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
