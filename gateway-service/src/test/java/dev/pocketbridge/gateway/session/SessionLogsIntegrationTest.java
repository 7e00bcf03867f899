package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.ids.LogIds;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.testsupport.StructuredLogFile;
import tools.jackson.databind.JsonNode;

/** A WebSocket session's JSON log lines carry its shortened user and device ids (docs/tracing-and-logs.md). */
class SessionLogsIntegrationTest extends GatewayIntegrationTest {

    @Test
    void theJsonLogLineOfAnEstablishedSessionCarriesItsDeviceAndUser() {
        DeviceSession device = establish(registeredDevice());
        String message = "session " + device.established().sessionId() + " established";

        List<JsonNode> lines = await().atMost(Duration.ofSeconds(10))
                .until(() -> StructuredLogFile.lines(l -> message.equals(l.path("message").asString(null))),
                        found -> !found.isEmpty());
        JsonNode line = lines.getFirst();
        String deviceId = device.identity().deviceId();
        assertThat(line.path(LogIds.DEVICE_ID).asString()).isEqualTo(deviceId.substring(deviceId.length() - 8));
        String userId = device.identity().userId();
        assertThat(line.path(LogIds.USER_ID).asString()).isEqualTo(userId.substring(userId.length() - 8));
    }
}
