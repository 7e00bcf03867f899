package dev.pocketbridge.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.pocketbridge.common.codec.Json;

/**
 * The public REST API of PROTOCOL.md §2, reached through the gateway. Thread-safe; one instance
 * per gateway. Every non-2xx answer throws {@link ApiError}; a transport failure throws
 * {@link UncheckedIOException}.
 */
public final class PocketBridgeApi {

    /** Per-request timeout; generous because a cold service may take a while to answer. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final URI baseUri;
    private final HttpClient http;

    /** {@code baseUrl}: the gateway, e.g. {@code http://localhost:8080}. */
    public PocketBridgeApi(String baseUrl) {
        this(URI.create(stripTrailingSlash(Objects.requireNonNull(baseUrl, "baseUrl"))),
                HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build());
    }

    /** With a caller-supplied {@link HttpClient} (proxies, TLS settings). */
    public PocketBridgeApi(URI baseUri, HttpClient http) {
        this.baseUri = URI.create(stripTrailingSlash(baseUri.toString()));
        this.http = http;
    }

    // --- wire records (snake_case through common-lib's Json) --------------------------------------

    /** {@code GET /api/v1/server-info}. {@code limits} is passed through as read. */
    public record ServerInfo(String serverIdentityPub, List<Integer> protocolVersions, Long maxFrameBytes,
            Map<String, Object> limits) {
    }

    /** A single-use challenge (32 random bytes, base64url) and when it expires. */
    public record Challenge(String challenge, long expiresAt) {
    }

    /** Body of {@code POST /api/v1/devices/register}; {@code pairingToken} null for a new user. */
    public record RegisterRequest(String publicKey, String deviceName, String deviceType, String challenge,
            String signature, String pairingToken) {
    }

    /** Answer of a registration. */
    public record Registration(String userId, String deviceId) {
    }

    /** Answer of {@code /auth/token} and {@code /auth/refresh}. */
    public record Tokens(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }

    /** Answer of {@code POST /api/v1/pairing}: the code as the server shows it and its expiry. */
    public record Pairing(String code, long expiresAt) {
    }

    /** Answer of {@code GET /api/v1/pairing/{code}}. */
    public record PairingLookup(String userId, String encryptedPayload, String pairingToken, long expiresAt) {
    }

    /** One entry of {@code GET /api/v1/devices}; {@code lastSeen} is null for a device never seen. */
    public record DeviceInfo(String deviceId, String deviceName, String deviceType,
            @JsonProperty("is_online") boolean isOnline, Long lastSeen, long createdAt,
            @JsonProperty("is_current") boolean isCurrent) {
    }

    /** Answer of {@code GET /api/v1/devices}; {@code message} explains an empty list. */
    public record DeviceList(List<DeviceInfo> devices, int count, @JsonProperty("is_empty") boolean isEmpty,
            String message) {
    }

    /** Answer of {@code DELETE /api/v1/user}: {@code status} is {@code deletion_started}. */
    public record UserDeletion(String status) {
    }

    private record ChallengeRequest(String purpose, String deviceId) {
    }

    private record TokenRequest(String deviceId, String challenge, String signature) {
    }

    private record RefreshRequest(String refreshToken) {
    }

    private record PairingRequest(String encryptedPayload) {
    }

    private record RenameRequest(String deviceName) {
    }

    // --- endpoints --------------------------------------------------------------------------------

    /** The gateway base URI this client talks to. */
    public URI baseUri() {
        return baseUri;
    }

    /** The WebSocket endpoint of the same gateway: {@code ws(s)://host:port/ws}. */
    public URI webSocketUri() {
        String scheme = "https".equalsIgnoreCase(baseUri.getScheme()) ? "wss" : "ws";
        String path = baseUri.getPath() == null ? "" : baseUri.getPath();
        return URI.create(scheme + "://" + baseUri.getRawAuthority() + path + "/ws");
    }

    /** {@code GET /api/v1/server-info}: the server identity key to pin, limits. */
    public ServerInfo serverInfo() {
        return send(get("/api/v1/server-info", null), ServerInfo.class);
    }

    /**
     * {@code POST /api/v1/auth/challenge}. {@code purpose} is {@code register} (then
     * {@code deviceId} is null) or {@code token}.
     */
    public Challenge challenge(String purpose, String deviceId) {
        return send(post("/api/v1/auth/challenge", null, new ChallengeRequest(purpose, deviceId)), Challenge.class);
    }

    /** {@code POST /api/v1/devices/register}. */
    public Registration register(RegisterRequest request) {
        return send(post("/api/v1/devices/register", null, request), Registration.class);
    }

    /** {@code POST /api/v1/auth/token} with a signed {@code token} challenge. */
    public Tokens token(String deviceId, String challenge, String signature) {
        return send(post("/api/v1/auth/token", null, new TokenRequest(deviceId, challenge, signature)), Tokens.class);
    }

    /** {@code POST /api/v1/auth/refresh}; the presented refresh token is used up. */
    public Tokens refresh(String refreshToken) {
        return send(post("/api/v1/auth/refresh", null, new RefreshRequest(refreshToken)), Tokens.class);
    }

    /** {@code POST /api/v1/pairing}: {@code encryptedPayload} is base64url, at most 8 KiB decoded. */
    public Pairing createPairing(String accessToken, String encryptedPayload) {
        return send(post("/api/v1/pairing", accessToken, new PairingRequest(encryptedPayload)), Pairing.class);
    }

    /** {@code GET /api/v1/pairing/{code}}: consumes the code. The code is sent as given. */
    public PairingLookup lookupPairing(String code) {
        return send(get("/api/v1/pairing/" + pathSegment(code), null), PairingLookup.class);
    }

    /** {@code GET /api/v1/devices}: the caller's user's devices. */
    public DeviceList listDevices(String accessToken) {
        return send(get("/api/v1/devices", accessToken), DeviceList.class);
    }

    /**
     * {@code PATCH /api/v1/devices/{device_id}}: renames one of the caller's user's devices; the
     * answer is the device with its name as the server normalised it.
     */
    public DeviceInfo renameDevice(String accessToken, String deviceId, String deviceName) {
        return send(request(devicePath(deviceId), accessToken)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(Json.write(new RenameRequest(deviceName)),
                        StandardCharsets.UTF_8))
                .build(), DeviceInfo.class);
    }

    /**
     * {@code DELETE /api/v1/devices/{device_id}} ({@code 204}): the device's sessions close and its
     * tokens stop working. Removing the caller's own device is allowed.
     */
    public void removeDevice(String accessToken, String deviceId) {
        send(request(devicePath(deviceId), accessToken).DELETE().build(), Void.class);
    }

    /**
     * {@code DELETE /api/v1/user} ({@code 202}): deletes the caller's user. From then on no token or
     * handshake of the user works; the server erases every row about the user within 60 s.
     */
    public UserDeletion deleteUser(String accessToken) {
        return send(request("/api/v1/user", accessToken).DELETE().build(), UserDeletion.class);
    }

    private static String devicePath(String deviceId) {
        return "/api/v1/devices/" + pathSegment(deviceId);
    }

    /** {@code value} percent-encoded as one path segment (a space is {@code %20}, not {@code +}). */
    private static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // --- plumbing ---------------------------------------------------------------------------------

    private HttpRequest.Builder request(String path, String accessToken) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json");
        if (accessToken != null) {
            builder.header("Authorization", "Bearer " + accessToken);
        }
        return builder;
    }

    private HttpRequest get(String path, String accessToken) {
        return request(path, accessToken).GET().build();
    }

    private HttpRequest post(String path, String accessToken, Object body) {
        return request(path, accessToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8))
                .build();
    }

    private <T> T send(HttpRequest request, Class<T> type) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw ApiError.fromResponse(status, response.body(),
                    response.headers().firstValue("X-Request-ID").orElse(null),
                    response.headers().firstValue("Retry-After").orElse(null));
        }
        if (type == Void.class) {
            return null; // 204: nothing to read
        }
        return Json.read(response.body(), type);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
