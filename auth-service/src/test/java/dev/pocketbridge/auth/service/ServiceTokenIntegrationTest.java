package dev.pocketbridge.auth.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import dev.pocketbridge.auth.AuthIntegrationTest;
import dev.pocketbridge.common.internal.ChallengeConsumption;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.testsupport.HttpTestClient.Response;

/** The client-credentials token endpoint, and the wall it builds between the internal API and the user API. */
class ServiceTokenIntegrationTest extends AuthIntegrationTest {

    private static final String GRANT = "grant_type=client_credentials";

    @Autowired
    JwtDecoder decoder;

    @Test
    void issuesAShortLivedServiceTokenToTheConfiguredClient() {
        Response response = requestServiceToken(CLIENT_ID, CLIENT_SECRET, GRANT + "&scope=internal");

        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.text("token_type")).isEqualTo("Bearer");
        assertThat(response.text("scope")).isEqualTo("internal");
        assertThat(response.json().get("expires_in").asLong()).isEqualTo(300);
        Jwt jwt = decoder.decode(response.text("access_token"));
        assertThat(jwt.getAudience()).containsExactly(InternalApi.SERVICE_AUDIENCE);
        assertThat(jwt.getClaimAsString("scope")).isEqualTo(InternalApi.SERVICE_SCOPE);
        assertThat(jwt.getSubject()).isEqualTo("service:" + CLIENT_ID);
        assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofMinutes(5));
        assertThat(jwt.hasClaim("roles")).isFalse();
        assertThat(jwt.hasClaim("user_id")).isFalse();
    }

    @Test
    void refusesAnyOtherClientAsInvalidClient() {
        for (Response response : new Response[] {
                requestServiceToken(CLIENT_ID, CLIENT_SECRET + "x", GRANT),
                requestServiceToken("someone-else", CLIENT_SECRET, GRANT),
                requestServiceToken(ADMIN_USERNAME, ADMIN_PASSWORD, GRANT),
                postForm(InternalApi.SERVICE_TOKEN, GRANT)}) {
            assertThat(problemCode(response, 401)).isEqualTo("invalid_client");
            assertThat(response.text("error")).isEqualTo("invalid_client");
            assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
        }
    }

    @Test
    void refusesOtherGrantsAndScopes() {
        Response password = requestServiceToken(CLIENT_ID, CLIENT_SECRET, "grant_type=password");
        Response noGrant = requestServiceToken(CLIENT_ID, CLIENT_SECRET, "scope=internal");
        Response admin = requestServiceToken(CLIENT_ID, CLIENT_SECRET, GRANT + "&scope=admin");

        assertThat(problemCode(password, 400)).isEqualTo("unsupported_grant_type");
        assertThat(password.text("error")).isEqualTo("unsupported_grant_type");
        assertThat(problemCode(noGrant, 400)).isEqualTo("invalid_request");
        assertThat(problemCode(admin, 400)).isEqualTo("invalid_scope");
    }

    @Test
    void theInternalApiTakesServiceTokensOnly() {
        TestDevice device = registeredDevice();
        String deviceToken = login(device).text("access_token");
        ChallengeConsumption unknown = new ChallengeConsumption("unknown", "register", null);

        assertThat(problemCode(post(InternalApi.CONSUME_CHALLENGE, unknown), 401)).isEqualTo("unauthorized");
        assertThat(problemCode(post(InternalApi.CONSUME_CHALLENGE, unknown, "Authorization", "Bearer " + deviceToken),
                403)).isEqualTo("forbidden");
        assertThat(problemCode(post(InternalApi.CONSUME_CHALLENGE, unknown, "Authorization", "Bearer " + adminToken()),
                403)).isEqualTo("forbidden");
        assertThat(post(InternalApi.CONSUME_CHALLENGE, unknown, serviceBearer()).status()).isEqualTo(404);
    }

    @Test
    void aServiceTokenIsForbiddenOnTheUserApi() {
        assertThat(problemCode(get("/api/v1/auth/verify", serviceBearer()), 403)).isEqualTo("forbidden");
    }

    @Test
    void deviceLookupsCarryASelfIssuedServiceTokenRenewedBeforeItExpires() {
        TestDevice device = registeredDevice();

        assertThat(login(device).status()).isEqualTo(200);
        String first = DEVICES.lastAuthorization();
        assertThat(login(device).status()).isEqualTo(200);
        assertThat(DEVICES.lastAuthorization()).isEqualTo(first);
        // To within the renewal minute before the cached token's expiry (an earlier test may have made it).
        Instant expiry = decoder.decode(first.substring("Bearer ".length())).getExpiresAt();
        clock.advance(Duration.between(clock.instant(), expiry.minusSeconds(59)));
        assertThat(login(device).status()).isEqualTo(200);
        String renewed = DEVICES.lastAuthorization();

        assertThat(renewed).isNotEqualTo(first);
        for (String authorization : new String[] {first, renewed}) {
            assertThat(authorization).startsWith("Bearer ");
            Jwt jwt = decoder.decode(authorization.substring("Bearer ".length()));
            assertThat(jwt.getAudience()).containsExactly(InternalApi.SERVICE_AUDIENCE);
            assertThat(jwt.getClaimAsString("scope")).isEqualTo(InternalApi.SERVICE_SCOPE);
        }
    }

    private String adminToken() {
        String basic = Base64.getEncoder()
                .encodeToString((ADMIN_USERNAME + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        Response response = post("/api/v1/auth/admin/token", "", "Authorization", "Basic " + basic);
        assertThat(response.status()).isEqualTo(200);
        return response.text("access_token");
    }
}
