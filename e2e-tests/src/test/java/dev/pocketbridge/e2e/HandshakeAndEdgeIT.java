package dev.pocketbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.ApiError;
import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.HandshakeException;
import dev.pocketbridge.client.PocketBridgeApi;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.protocol.CloseCodes;
import tools.jackson.databind.JsonNode;

/** The handshake's failure modes and the REST edge, black box. */
class HandshakeAndEdgeIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void system() {
        RunningSystem.get();
    }

    @Test
    void unknownDeviceWrongKeyAndForeignUserAllFailAlikeWith1008() {
        Device mine = Fixture.newUser(0, "mine");
        Device theirs = Fixture.newUser(0, "theirs");
        PocketBridgeApi api = Fixture.gateway(0);
        DeviceIdentity me = mine.identity();

        DeviceIdentity unknown = DeviceIdentity.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                DeviceIdentity.newKeyPair(), "ghost", "web");
        DeviceIdentity wrongKey = DeviceIdentity.of(me.userId(), me.deviceId(), DeviceIdentity.newKeyPair(), "x", "web");
        DeviceIdentity foreignUser = DeviceIdentity.of(theirs.identity().userId(), me.deviceId(), me.keyPair(), "x",
                "web");
        for (DeviceIdentity identity : new DeviceIdentity[] {unknown, wrongKey, foreignUser}) {
            assertThatThrownBy(() -> DeviceSession.connect(api, identity))
                    .isInstanceOfSatisfying(HandshakeException.class, e -> {
                        assertThat(e.code()).isEqualTo("authentication_failed");
                        assertThat(e.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
                    });
        }
        try (DeviceSession ok = mine.connect()) {
            assertThat(ok.established().sessionId()).isEqualTo(ok.serverHello().sessionId());
        }
    }

    @Test
    void aDeviceConnectingOnTheOtherNodeClosesItsOlderSessionWith4409() {
        Device onNode0 = Fixture.newUser(0, "roamer");
        Device onNode1 = new Device(Fixture.gateway(1), onNode0.identity());
        try (DeviceSession older = onNode0.connect(); DeviceSession newer = onNode1.connect()) {
            assertThat(older.awaitClose(Fixture.WAIT)).isEqualTo(CloseCodes.SUPERSEDED);
            assertThat(newer.isClosed()).isFalse();
        }
    }

    @Test
    void bothNodesSignWithTheOneServerIdentityPublishedInServerInfo() {
        for (int node = 0; node < 2; node++) {
            PocketBridgeApi api = Fixture.gateway(node);
            PocketBridgeApi.ServerInfo info = api.serverInfo();
            assertThat(info.protocolVersions()).containsExactly(1);
            assertThat(Base64Url.decodeExact(info.serverIdentityPub(), 32)).isPresent();
            try (DeviceSession session = Fixture.newUser(node, "n" + node).connect()) {
                assertThat(session.serverHello().serverIdentityPub()).isEqualTo(info.serverIdentityPub());
            }
        }
        assertThat(Fixture.gateway(0).serverInfo().serverIdentityPub())
                .isEqualTo(Fixture.gateway(1).serverInfo().serverIdentityPub());
    }

    @Test
    void badRegistrationIsAProblemDetailWithCodeAndTheEchoedRequestId() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(RunningSystem.get().gateway(0) + "/api/v1/devices/register"))
                .header("Content-Type", "application/json")
                .header("X-Request-ID", "e2e-bad-register")
                .POST(HttpRequest.BodyPublishers.ofString("{\"public_key\":\"nope\",\"device_type\":\"toaster\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().allValues("X-Request-ID")).containsExactly("e2e-bad-register");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("code").asString()).isNotBlank();
        assertThat(problem.get("request_id").asString()).isEqualTo("e2e-bad-register");
        assertThat(problem.has("type") && problem.has("title") && problem.has("detail")).isTrue();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.");

        assertThatThrownBy(() -> Fixture.gateway(0).lookupPairing("ZZZZ-ZZZZ"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void healthAggregatesEveryServiceAndKafka() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(RunningSystem.get().gateway(1) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = Json.mapper().readTree(response.body());
        assertThat(health.get("status").asString()).isEqualTo("UP");
        for (String component : new String[] {"auth-service", "device-service", "event-service", "relay-service",
                "kafka"}) {
            assertThat(health.at("/components/" + component + "/status").asString()).as(component).isEqualTo("UP");
        }
    }
}
