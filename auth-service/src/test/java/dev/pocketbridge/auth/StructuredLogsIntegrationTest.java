package dev.pocketbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.StructuredLogFile;
import tools.jackson.databind.JsonNode;

/** The JSON log line of a REST request (service-web, docs/tracing-and-logs.md): its request id and its trace. */
class StructuredLogsIntegrationTest extends AuthIntegrationTest {

    @Test
    void aRestRequestsJsonLogLineCarriesItsRequestIdAndTraceIds() {
        String requestId = "logs-" + UUID.randomUUID();
        Response response = post("/api/v1/auth/challenge", "{\"purpose\":\"nope\"}", "X-Request-ID", requestId);
        assertThat(response.header("X-Request-ID")).isEqualTo(requestId);

        List<JsonNode> lines = await().atMost(Duration.ofSeconds(10))
                .until(() -> StructuredLogFile.lines(l -> requestId.equals(l.path("request_id").asString(null))),
                        found -> !found.isEmpty());
        JsonNode line = lines.getFirst();
        assertThat(line.path("message").asString()).isEqualTo("POST /api/v1/auth/challenge answered 400");
        assertThat(line.path("log").path("logger").asString()).isEqualTo("dev.pocketbridge.web.RequestLogContext");
        assertThat(line.path("traceId").asString()).matches("[0-9a-f]{32}");
        assertThat(line.path("spanId").asString()).matches("[0-9a-f]{16}");
    }
}
