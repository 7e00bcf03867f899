package dev.pocketbridge.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import tools.jackson.databind.JsonNode;

/**
 * A small in-process HTTP server playing the gateway's REST side (PROTOCOL.md §2) for one user, so
 * that {@link PocketBridgeApi} and the CLI run against real HTTP. It checks what a real server
 * would check where a test depends on it: the register signature, the bearer token, name rules
 * (trimmed, 1–50 characters, unique case-insensitively), device ids of the user, and that a removed
 * device and the devices of a deleted user can no longer get tokens. {@link #failNext} makes the next request
 * to one endpoint answer a problem instead.
 */
public final class FakeRestApi implements AutoCloseable {

    public static final String CHALLENGE = Base64Url.encode(new byte[32]);
    public static final String USER_ID = "0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b";
    /** The device that registers, and the one device the user has at the start. */
    public static final String DEVICE_ID = "0190f5a2-7c3e-7b1a-9f00-6e5d4c3b2a19";
    public static final String ACCESS_TOKEN = "at";
    public static final String EMPTY_MESSAGE = "No devices yet: register one, or pair a new device.";

    /** One request as it arrived; {@code body} is null when there was none. */
    public record Request(String method, String path, String authorization, JsonNode body) {
    }

    private record Failure(int status, String code, String detail, Long retryAfterSeconds) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    /** The user's devices, oldest first; {@code is_current} is computed per request. */
    private final List<PocketBridgeApi.DeviceInfo> devices = new ArrayList<>();
    private final Set<String> removedDeviceIds = new HashSet<>();
    private String tokenDeviceId = DEVICE_ID;
    private boolean userDeleted;

    public FakeRestApi() throws IOException {
        devices.add(device(DEVICE_ID, "laptop", "desktop", false, null, 1_767_225_600_000L));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A device as the list shows it ({@code is_current} is set by the server per caller). */
    public static PocketBridgeApi.DeviceInfo device(String id, String name, String type, boolean online, Long lastSeen,
            long createdAt) {
        return new PocketBridgeApi.DeviceInfo(id, name, type, online, lastSeen, createdAt, false);
    }

    /** The gateway URL, with a trailing slash (the client strips it). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Replaces the user's devices. */
    public synchronized void devices(List<PocketBridgeApi.DeviceInfo> list) {
        devices.clear();
        devices.addAll(list);
    }

    /** The user's devices now. */
    public synchronized List<PocketBridgeApi.DeviceInfo> devices() {
        return List.copyOf(devices);
    }

    public synchronized boolean userDeleted() {
        return userDeleted;
    }

    /** The next {@code method path} request answers {@code status} with this problem (once). */
    public void failNext(String method, String path, int status, String code, String detail,
            Long retryAfterSeconds) {
        failures.put(method + " " + path, new Failure(status, code, detail, retryAfterSeconds));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The newest {@code method path} request. */
    public Optional<Request> last(String method, String path) {
        List<Request> all = requests();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).method().equals(method) && all.get(i).path().equals(path)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** How many {@code method path} requests arrived. */
    public long count(String method, String path) {
        return requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // --- the endpoints ------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode body = text.isBlank() ? null : Json.mapper().readTree(text);
            requests.add(new Request(method, path, exchange.getRequestHeaders().getFirst("Authorization"), body));
            Failure failure = failures.remove(method + " " + path);
            if (failure != null) {
                if (failure.retryAfterSeconds() != null) {
                    exchange.getResponseHeaders().add("Retry-After", failure.retryAfterSeconds().toString());
                }
                problem(exchange, failure.status(), failure.code(), failure.detail());
                return;
            }
            synchronized (this) {
                answer(exchange, method, path, body);
            }
        }
    }

    private void answer(HttpExchange exchange, String method, String path, JsonNode body) throws IOException {
        String route = method + " " + path;
        if (route.equals("POST /api/v1/auth/challenge")) {
            json(exchange, 201, "{\"challenge\":\"" + CHALLENGE + "\",\"expires_at\":1}");
        } else if (route.equals("POST /api/v1/devices/register")) {
            register(exchange, body);
        } else if (route.equals("POST /api/v1/auth/token")) {
            String deviceId = body.get("device_id").asString();
            if (userDeleted || removedDeviceIds.contains(deviceId)) {
                problem(exchange, 401, "authentication_failed", "authentication failed");
                return;
            }
            tokenDeviceId = deviceId;
            json(exchange, 200, """
                    {"access_token":"%s","refresh_token":"rt","token_type":"Bearer","expires_in":900}"""
                    .formatted(ACCESS_TOKEN));
        } else if (path.startsWith("/api/v1/pairing/") && method.equals("GET")) {
            exchange.getResponseHeaders().add("X-Request-ID", "hdr-9");
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            respond(exchange, 404, """
                    {"type":"about:blank","title":"Not Found","status":404,"detail":"no such pairing code",
                     "code":"not_found","request_id":"req-7"}""");
        } else if (!("Bearer " + ACCESS_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))
                || userDeleted) {
            problem(exchange, 401, "unauthorized", "a valid bearer token is required");
        } else if (route.equals("GET /api/v1/devices")) {
            list(exchange);
        } else if (route.equals("DELETE /api/v1/user")) {
            userDeleted = true;
            devices.clear();
            json(exchange, 202, "{\"status\":\"deletion_started\"}");
        } else if (path.startsWith("/api/v1/devices/") && (method.equals("PATCH") || method.equals("DELETE"))) {
            String deviceId = URLDecoder.decode(path.substring("/api/v1/devices/".length()), StandardCharsets.UTF_8);
            PocketBridgeApi.DeviceInfo target = find(deviceId);
            if (target == null) {
                problem(exchange, 404, "not_found", "no such device");
            } else if (method.equals("DELETE")) {
                devices.remove(target);
                removedDeviceIds.add(deviceId);
                exchange.sendResponseHeaders(204, -1);
            } else {
                rename(exchange, target, body);
            }
        } else {
            problem(exchange, 404, "not_found", "no such route");
        }
    }

    private void register(HttpExchange exchange, JsonNode body) throws IOException {
        byte[] key = Base64Url.decode(body.get("public_key").asString()).orElseThrow();
        String transcript = Transcripts.register(body.get("public_key").asString(),
                body.get("device_type").asString(), body.get("challenge").asString());
        byte[] signature = Base64Url.decode(body.get("signature").asString()).orElseThrow();
        boolean valid = Ed25519.verify(key, transcript, signature);
        if (valid) {
            json(exchange, 201, "{\"user_id\":\"" + USER_ID + "\",\"device_id\":\"" + DEVICE_ID + "\"}");
        } else {
            problem(exchange, 400, "invalid_signature", null);
        }
    }

    private void list(HttpExchange exchange) throws IOException {
        List<PocketBridgeApi.DeviceInfo> shown = devices.stream().map(this::asSeenByCaller).toList();
        json(exchange, 200, Json.write(new PocketBridgeApi.DeviceList(shown, shown.size(), shown.isEmpty(),
                shown.isEmpty() ? EMPTY_MESSAGE : null)));
    }

    private void rename(HttpExchange exchange, PocketBridgeApi.DeviceInfo target, JsonNode body) throws IOException {
        String name = body == null || body.get("device_name") == null ? "" : body.get("device_name").asString().strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > 50) {
            problem(exchange, 400, "invalid_request", "device_name must be 1 to 50 characters");
            return;
        }
        boolean taken = devices.stream().anyMatch(d -> d != target
                && d.deviceName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)));
        if (taken) {
            problem(exchange, 409, "device_name_taken", "a device of this user already has that name");
            return;
        }
        PocketBridgeApi.DeviceInfo renamed = new PocketBridgeApi.DeviceInfo(target.deviceId(), name,
                target.deviceType(), target.isOnline(), target.lastSeen(), target.createdAt(), false);
        devices.set(devices.indexOf(target), renamed);
        json(exchange, 200, Json.write(asSeenByCaller(renamed)));
    }

    private PocketBridgeApi.DeviceInfo asSeenByCaller(PocketBridgeApi.DeviceInfo d) {
        return new PocketBridgeApi.DeviceInfo(d.deviceId(), d.deviceName(), d.deviceType(), d.isOnline(),
                d.lastSeen(), d.createdAt(), d.deviceId().equals(tokenDeviceId));
    }

    private PocketBridgeApi.DeviceInfo find(String deviceId) {
        return devices.stream().filter(d -> d.deviceId().equals(deviceId)).findFirst().orElse(null);
    }

    private static void problem(HttpExchange exchange, int status, String code, String detail) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://pocketbridge.dev/problems/" + code);
        problem.put("title", "Problem");
        problem.put("status", status);
        if (detail != null) {
            problem.put("detail", detail);
        }
        problem.put("code", code);
        problem.put("request_id", "req-" + status);
        respond(exchange, status, Json.write(problem));
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        respond(exchange, status, body);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
