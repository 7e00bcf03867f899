package dev.pocketbridge.auth.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pocketbridge.auth.AuthIntegrationTest;
import dev.pocketbridge.testsupport.RawHttp;

/**
 * service-web's body limits and JSON read constraints in auth-service, over real HTTP: too large is
 * 413 before the body is read, too deep or too long inside a small body is 400, never 500; and the
 * service keeps answering everyone else.
 */
class RequestLimitsIntegrationTest extends AuthIntegrationTest {

    private static final long TWENTY_MIB = 20L * 1024 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/auth/challenge", "/api/v1/auth/token", "/api/v1/auth/refresh"})
    void aDeclared20MiBBodyIs413FromItsHeadersAlone(String path) {
        // Only 64 KiB of the declared 20 MiB are ever sent: the answer cannot have waited for the rest.
        RawHttp.Answer answer = RawHttp.declaredBody(port, "POST", path, TWENTY_MIB, 64 * 1024);
        assertThat(answer.problemCode(413)).isEqualTo("payload_too_large");
        assertThat(answer.body()).contains("16384");
        assertThat(answer.header("Connection")).isEqualTo("close");
        assertThat(post("/api/v1/auth/challenge", "{\"purpose\":\"register\"}").status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/auth/challenge", "/api/v1/auth/token", "/api/v1/auth/refresh"})
    void aChunkedBodyWithoutLengthIs413OnceItPassesTheLimit(String path) {
        // Up to 20 MiB in chunks, and never the last chunk: the body never ends.
        RawHttp.Answer answer = RawHttp.chunkedBody(port, "POST", path, TWENTY_MIB);
        assertThat(answer.problemCode(413)).isEqualTo("payload_too_large");
        assertThat(post("/api/v1/auth/challenge", "{\"purpose\":\"register\"}").status()).isEqualTo(201);
    }

    @Test
    void deepNestingInASmallBodyIs400() {
        // 100 levels in an ignored member: accepted by Jackson's defaults (500), refused by ours (16).
        String deep = "[".repeat(100) + "]".repeat(100);
        assertThat(problemCode(post("/api/v1/auth/challenge", "{\"purpose\":\"register\",\"x\":" + deep + "}"), 400))
                .isEqualTo("invalid_request");
        String shallow = "[".repeat(10) + "]".repeat(10);
        assertThat(post("/api/v1/auth/challenge", "{\"purpose\":\"register\",\"x\":" + shallow + "}").status())
                .isEqualTo(201);
    }

    @Test
    void aHugeStringOrNumberOrNameInASmallBodyIs400() {
        String longString = "a".repeat(13_000); // above the 12,288 characters of a string, below the 16 KiB body
        assertThat(problemCode(post("/api/v1/auth/challenge", "{\"purpose\":\"" + longString + "\"}"), 400))
                .isEqualTo("invalid_request");
        assertThat(problemCode(post("/api/v1/auth/challenge",
                "{\"purpose\":\"register\",\"x\":" + "9".repeat(1000) + "}"), 400)).isEqualTo("invalid_request");
        assertThat(problemCode(post("/api/v1/auth/challenge",
                "{\"purpose\":\"register\",\"" + "n".repeat(1000) + "\":1}"), 400)).isEqualTo("invalid_request");
        assertThat(problemCode(post("/api/v1/auth/challenge",
                "{\"purpose\":\"register\",\"x\":[" + "1,".repeat(2000) + "1]}"), 400)).isEqualTo("invalid_request");
    }

    @Test
    void aBodyWithinTheLimitsIsServedAsBefore() {
        String padding = "a".repeat(12_000);
        assertThat(post("/api/v1/auth/challenge", "{\"purpose\":\"register\",\"x\":\"" + padding + "\"}").status())
                .isEqualTo(201);
    }
}
