package dev.pocketbridge.auth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.auth.AuthIntegrationTest;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import tools.jackson.databind.JsonNode;

class AdminTokenIntegrationTest extends AuthIntegrationTest {

    private Response adminToken(String user, String password) {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return post("/api/v1/auth/admin/token", "", "Authorization", "Basic " + credentials);
    }

    @Test
    void theConfiguredAdminGetsAShortLivedAdminToken() {
        Response response = adminToken(ADMIN_USERNAME, ADMIN_PASSWORD);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("expires_in").asLong()).isEqualTo(300);
        assertThat(response.json().has("refresh_token")).isFalse();
        String token = response.text("access_token");
        JsonNode claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.get("sub").asString()).isEqualTo("admin:" + ADMIN_USERNAME);
        assertThat(claims.has("device_id")).isFalse();

        Response verify = get("/api/v1/auth/verify", "Authorization", "Bearer " + token);
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.json().get("roles").get(0).asString()).isEqualTo("admin");
        assertThat(verify.json().get("roles").size()).isEqualTo(1);
        assertThat(verify.json().has("device_id")).isFalse();
    }

    @Test
    void wrongOrMissingCredentialsAreRefused() {
        Response wrong = adminToken(ADMIN_USERNAME, "guess");
        assertThat(problemCode(wrong, 401)).isEqualTo("authentication_failed");
        assertThat(wrong.header("WWW-Authenticate")).startsWith("Basic");

        assertThat(problemCode(adminToken("admin", ADMIN_PASSWORD), 401)).isEqualTo("authentication_failed");
        assertThat(problemCode(post("/api/v1/auth/admin/token", ""), 401)).isEqualTo("authentication_failed");
    }

    @Test
    void deviceTokensNeverCarryTheAdminRole() {
        String token = login(registeredDevice()).text("access_token");

        Response verify = get("/api/v1/auth/verify", "Authorization", "Bearer " + token);
        assertThat(verify.json().get("roles").toString()).doesNotContain("admin");
    }
}
