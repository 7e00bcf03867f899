package dev.pocketbridge.client;

import static dev.pocketbridge.client.FakeRestApi.CHALLENGE;
import static dev.pocketbridge.client.FakeRestApi.DEVICE_ID;
import static dev.pocketbridge.client.FakeRestApi.USER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import tools.jackson.databind.JsonNode;

/** The REST client against {@link FakeRestApi}, an in-test HTTP server that checks what a real server would check. */
class PocketBridgeApiTest {

    private static final String PHONE_ID = "0190f5a2-7c3e-7b1a-9f00-00000000beef";

    private FakeRestApi server;
    private PocketBridgeApi api;

    @BeforeEach
    void start() throws IOException {
        server = new FakeRestApi();
        api = new PocketBridgeApi(server.baseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Device laptop() {
        return new Device(api, DeviceIdentity.of(USER_ID, DEVICE_ID, DeviceIdentity.newKeyPair(), "laptop", "desktop"));
    }

    private JsonNode body(String method, String path) {
        return server.last(method, path).orElseThrow().body();
    }

    @Test
    void registersANewUserWithASignedRegisterTranscript() {
        DeviceIdentity identity = Device.registerNewUser(api, "laptop", "desktop");

        assertThat(identity.userId()).isEqualTo(USER_ID);
        assertThat(identity.deviceId()).isEqualTo(DEVICE_ID);
        assertThat(body("POST", "/api/v1/auth/challenge").get("purpose").asString()).isEqualTo("register");
        assertThat(body("POST", "/api/v1/auth/challenge").has("device_id")).isFalse();
        JsonNode register = body("POST", "/api/v1/devices/register");
        assertThat(register.get("public_key").asString()).isEqualTo(identity.publicKeyBase64());
        assertThat(register.get("device_name").asString()).isEqualTo("laptop");
        assertThat(register.has("pairing_token")).isFalse();
    }

    @Test
    void getsAnAccessTokenWithASignedTokenTranscriptAndUsesItAsBearer() {
        Device device = laptop();

        PocketBridgeApi.DeviceList devices = device.listDevices();

        JsonNode token = body("POST", "/api/v1/auth/token");
        assertThat(Ed25519.verify(device.identity().publicKey(), Transcripts.token(DEVICE_ID, CHALLENGE),
                Base64Url.decode(token.get("signature").asString()).orElseThrow())).isTrue();
        assertThat(body("POST", "/api/v1/auth/challenge").get("device_id").asString()).isEqualTo(DEVICE_ID);
        assertThat(server.last("GET", "/api/v1/devices").orElseThrow().authorization()).isEqualTo("Bearer at");
        assertThat(devices.devices()).singleElement().satisfies(d -> {
            assertThat(d.isOnline()).isFalse();
            assertThat(d.isCurrent()).isTrue();
            assertThat(d.lastSeen()).isNull();
        });
        assertThat(devices.isEmpty()).isFalse();
    }

    @Test
    void renamesADeviceWithPatchAndReadsTheDeviceBack() {
        server.devices(List.of(FakeRestApi.device(DEVICE_ID, "laptop", "desktop", true, null, 5),
                FakeRestApi.device(PHONE_ID, "phone", "mobile", false, 7L, 6)));

        PocketBridgeApi.DeviceInfo renamed = laptop().renameDevice(PHONE_ID, "  old phone ");

        FakeRestApi.Request patch = server.last("PATCH", "/api/v1/devices/" + PHONE_ID).orElseThrow();
        assertThat(patch.authorization()).isEqualTo("Bearer at");
        assertThat(patch.body().get("device_name").asString()).isEqualTo("  old phone ");
        assertThat(renamed.deviceName()).isEqualTo("old phone");
        assertThat(renamed.deviceId()).isEqualTo(PHONE_ID);
        assertThat(renamed.isCurrent()).isFalse();
    }

    @Test
    void removesADeviceWithDeleteAndAnEmptyAnswer() {
        server.devices(List.of(FakeRestApi.device(DEVICE_ID, "laptop", "desktop", true, null, 5),
                FakeRestApi.device(PHONE_ID, "phone", "mobile", false, 7L, 6)));

        laptop().removeDevice(PHONE_ID);

        assertThat(server.last("DELETE", "/api/v1/devices/" + PHONE_ID).orElseThrow().authorization())
                .isEqualTo("Bearer at");
        assertThat(server.devices()).extracting(PocketBridgeApi.DeviceInfo::deviceId).containsExactly(DEVICE_ID);
        assertThatThrownBy(() -> api.removeDevice(FakeRestApi.ACCESS_TOKEN, PHONE_ID))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("not_found"));
    }

    @Test
    void aDeviceIdIsSentPathEncoded() {
        assertThatThrownBy(() -> api.removeDevice(FakeRestApi.ACCESS_TOKEN, "a/b c"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));

        assertThat(server.requests()).last().extracting(FakeRestApi.Request::path)
                .isEqualTo("/api/v1/devices/a%2Fb%20c");
    }

    @Test
    void deletesTheUserAndReadsTheAcceptedAnswer() {
        PocketBridgeApi.UserDeletion deletion = laptop().deleteUser();

        assertThat(deletion.status()).isEqualTo("deletion_started");
        assertThat(server.last("DELETE", "/api/v1/user").orElseThrow().authorization()).isEqualTo("Bearer at");
        assertThatThrownBy(() -> laptop().listDevices())
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("authentication_failed"));
    }

    @Test
    void aProblemAnswerBecomesAnApiError() {
        assertThatThrownBy(() -> api.lookupPairing("K7M2-Q9XA"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("not_found");
                    assertThat(e.detail()).isEqualTo("no such pairing code");
                    assertThat(e.requestId()).isEqualTo("req-7");
                });
    }

    @Test
    void aRateLimitedAnswerCarriesRetryAfter() {
        server.failNext("DELETE", "/api/v1/user", 429, "rate_limited", "too many requests", 12L);

        assertThatThrownBy(() -> api.deleteUser(FakeRestApi.ACCESS_TOKEN))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo("rate_limited");
                    assertThat(e.retryAfterSeconds()).hasValue(12);
                });
        assertThat(server.userDeleted()).isFalse();
    }

    @Test
    void theWebSocketUriIsOnTheSameGateway() {
        assertThat(api.webSocketUri().toString()).isEqualTo("ws://127.0.0.1:" + server.port() + "/ws");
        assertThat(new PocketBridgeApi("https://bridge.example:8443").webSocketUri().toString())
                .isEqualTo("wss://bridge.example:8443/ws");
        assertThat(List.of(api.baseUri().toString())).noneMatch(s -> s.endsWith("/"));
    }
}
