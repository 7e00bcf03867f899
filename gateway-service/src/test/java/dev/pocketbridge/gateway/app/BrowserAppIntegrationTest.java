package dev.pocketbridge.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.gateway.GatewayIntegrationTest;

/** The browser device's files at {@code /app/}: served by the gateway itself, with their security headers. */
class BrowserAppIntegrationTest extends GatewayIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void appRedirectsToTheSlashAndServesTheIndexPageWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> redirect = get("/app");
        assertThat(redirect.statusCode()).isEqualTo(308);
        assertThat(redirect.headers().firstValue("Location")).hasValue("/app/");

        HttpResponse<String> page = get("/app/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/main.js\"></script>");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'", "require-trusted-types-for 'script'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().allValues("X-Request-ID")).hasSize(1);
    }

    @Test
    void scriptsAreServedAsJavaScriptAndAMissingFileIsAProblemWithTheSameHeaders() throws Exception {
        HttpResponse<String> script = get("/app/js/session.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        assertThat(script.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(get("/app/app.css").headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));

        HttpResponse<String> missing = get("/app/js/nothing-here.js");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(missing.headers().firstValue("Content-Security-Policy")).isPresent();
        // no way out of the app's folder
        assertThat(get("/app/../application.yml").statusCode()).isIn(400, 404);
        assertThat(get("/app/%2e%2e/application.yml").statusCode()).isIn(400, 404);
    }

    @Test
    void otherPathsGetNoneOfTheAppsHeaders() throws Exception {
        HttpResponse<String> info = get("/api/v1/server-info");
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.headers().firstValue("Content-Security-Policy")).isEmpty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
