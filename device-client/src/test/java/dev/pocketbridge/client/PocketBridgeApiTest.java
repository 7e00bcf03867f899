package dev.pocketbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import tools.jackson.databind.JsonNode;

/** The REST client against a small in-test HTTP stub that checks what a real server would check. */
class PocketBridgeApiTest {

    private static final String CHALLENGE = Base64Url.encode(new byte[32]);
    private static final String USER_ID = "0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b";
    private static final String DEVICE_ID = "0190f5a2-7c3e-7b1a-9f00-6e5d4c3b2a19";

    private HttpServer server;
    private PocketBridgeApi api;
    private final Map<String, JsonNode> bodies = new ConcurrentHashMap<>();
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/auth/challenge", exchange -> {
            record(exchange);
            respond(exchange, 201, "application/json", "{\"challenge\":\"" + CHALLENGE + "\",\"expires_at\":1}");
        });
        server.createContext("/api/v1/devices/register", exchange -> {
            JsonNode body = record(exchange);
            byte[] key = Base64Url.decode(body.get("public_key").asString()).orElseThrow();
            String transcript = Transcripts.register(body.get("public_key").asString(),
                    body.get("device_type").asString(), body.get("challenge").asString());
            boolean valid = Ed25519.verify(key, transcript,
                    Base64Url.decode(body.get("signature").asString()).orElseThrow());
            if (valid) {
                respond(exchange, 201, "application/json",
                        "{\"user_id\":\"" + USER_ID + "\",\"device_id\":\"" + DEVICE_ID + "\"}");
            } else {
                respond(exchange, 400, "application/problem+json", "{\"code\":\"invalid_signature\"}");
            }
        });
        server.createContext("/api/v1/auth/token", exchange -> {
            record(exchange);
            respond(exchange, 200, "application/json", """
                    {"access_token":"at","refresh_token":"rt","token_type":"Bearer","expires_in":900}""");
        });
        server.createContext("/api/v1/devices", exchange -> {
            authorizations.put("devices", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            respond(exchange, 200, "application/json", """
                    {"devices":[{"device_id":"%s","device_name":"laptop","device_type":"desktop","is_online":true,
                    "last_seen":null,"created_at":5,"is_current":true}],"count":1,"is_empty":false}"""
                    .formatted(DEVICE_ID));
        });
        server.createContext("/api/v1/pairing/", exchange -> {
            exchange.getResponseHeaders().add("X-Request-ID", "hdr-9");
            respond(exchange, 404, "application/problem+json", """
                    {"type":"about:blank","title":"Not Found","status":404,"detail":"no such pairing code",
                     "code":"not_found","request_id":"req-7"}""");
        });
        server.start();
        api = new PocketBridgeApi("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private JsonNode record(HttpExchange exchange) throws IOException {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode body = Json.mapper().readTree(text);
        bodies.put(exchange.getRequestURI().getPath(), body);
        return body;
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void registersANewUserWithASignedRegisterTranscript() {
        DeviceIdentity identity = Device.registerNewUser(api, "laptop", "desktop");

        assertThat(identity.userId()).isEqualTo(USER_ID);
        assertThat(identity.deviceId()).isEqualTo(DEVICE_ID);
        assertThat(bodies.get("/api/v1/auth/challenge").get("purpose").asString()).isEqualTo("register");
        assertThat(bodies.get("/api/v1/auth/challenge").has("device_id")).isFalse();
        JsonNode register = bodies.get("/api/v1/devices/register");
        assertThat(register.get("public_key").asString()).isEqualTo(identity.publicKeyBase64());
        assertThat(register.get("device_name").asString()).isEqualTo("laptop");
        assertThat(register.has("pairing_token")).isFalse();
    }

    @Test
    void getsAnAccessTokenWithASignedTokenTranscriptAndUsesItAsBearer() {
        DeviceIdentity identity = DeviceIdentity.of(USER_ID, DEVICE_ID, DeviceIdentity.newKeyPair(), "laptop",
                "desktop");
        Device device = new Device(api, identity);

        PocketBridgeApi.DeviceList devices = device.listDevices();

        JsonNode token = bodies.get("/api/v1/auth/token");
        assertThat(Ed25519.verify(identity.publicKey(), Transcripts.token(DEVICE_ID, CHALLENGE),
                Base64Url.decode(token.get("signature").asString()).orElseThrow())).isTrue();
        assertThat(bodies.get("/api/v1/auth/challenge").get("device_id").asString()).isEqualTo(DEVICE_ID);
        assertThat(authorizations.get("devices")).isEqualTo("Bearer at");
        assertThat(devices.devices()).singleElement().satisfies(d -> {
            assertThat(d.isOnline()).isTrue();
            assertThat(d.isCurrent()).isTrue();
            assertThat(d.lastSeen()).isNull();
        });
        assertThat(devices.isEmpty()).isFalse();
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
    void theWebSocketUriIsOnTheSameGateway() {
        assertThat(api.webSocketUri().toString()).isEqualTo("ws://127.0.0.1:" + server.getAddress().getPort() + "/ws");
        assertThat(new PocketBridgeApi("https://bridge.example:8443").webSocketUri().toString())
                .isEqualTo("wss://bridge.example:8443/ws");
        assertThat(List.of(api.baseUri().toString())).noneMatch(s -> s.endsWith("/"));
    }
}
