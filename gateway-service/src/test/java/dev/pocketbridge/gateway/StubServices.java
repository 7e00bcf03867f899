package dev.pocketbridge.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.pocketbridge.common.codec.Cbor;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.DeviceLookups;
import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.common.internal.DevicePositions;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.protocol.ReplayPage;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.testsupport.ApiDescriptions;
import dev.pocketbridge.testsupport.TestIssuer;

/**
 * device-service and event-service as one tiny HTTP stub: the internal device lookup, device
 * positions, replay pages, {@code /api/v1/events} for the routed REST path, and the committed
 * API descriptions of the services ({@link #DESCRIBED_SERVICES}). Like the real
 * services, the internal API answers 401 to a call without a valid service token of {@code issuer}.
 */
public final class StubServices {

    private static final Pattern REPLAY = Pattern.compile("/internal/v1/users/([^/]+)/events");
    /** A replay {@code limit} the stub refuses with 400, to exercise the error path. */
    public static final int REFUSED_LIMIT = 777;
    /** A replay {@code limit} the stub answers only after {@link #releaseHeldReplays()}. */
    public static final int HELD_LIMIT = 778;
    /** A replay with this limit is answered 200 with a body that is no page. */
    public static final int MALFORMED_LIMIT = 779;
    /**
     * A replay with this limit is answered in two pages: seq 5 with the continuation
     * {@link #NEXT_PAGE_TOKEN} (in the body and the header, as event-service does), then seq 6.
     */
    public static final int PAGED_LIMIT = 780;
    public static final String NEXT_PAGE_TOKEN = "next-page";

    /** The services whose part of the API description the stub serves at {@code /docs/<service>}: the committed copy. */
    public static final List<String> DESCRIBED_SERVICES = List.of("auth-service", "device-service", "event-service");
    /** Services whose description answers 503, as if they were down. */
    public final java.util.Set<String> failingDescriptions = ConcurrentHashMap.newKeySet();
    public final Map<String, DeviceCredentials> devices = new ConcurrentHashMap<>();
    public final Map<String, DevicePosition> positions = new ConcurrentHashMap<>();
    /** Device ids whose lookup answers 503 (with every other device of its call), as if device-service were failing. */
    public final java.util.Set<String> failingDevices = ConcurrentHashMap.newKeySet();
    /** The device ids of each device lookup call, in the order the calls arrived. */
    public final List<List<String>> deviceLookupCalls = new CopyOnWriteArrayList<>();
    /** Query strings of replay calls, each followed by {@code " accept="} and its Accept header, newest last. */
    public final List<String> replayQueries = new CopyOnWriteArrayList<>();
    /** {@code X-Request-ID} values the routed endpoint received. */
    public final List<String> routedRequestIds = new CopyOnWriteArrayList<>();
    /** The {@code Content-Length} and body size of each request the routed endpoint received, as {@code "<header>/<bytes>"}. */
    public final List<String> routedBodies = new CopyOnWriteArrayList<>();
    /** Internal calls answered 401 although their token was valid, as after a key change; counted down. */
    public final AtomicInteger rejectNextTokens = new AtomicInteger();
    /** The device ids of device lookups, in the order they arrived (a call's ids in their order). */
    public final List<String> deviceLookups = new CopyOnWriteArrayList<>();
    /** Devices whose lookup calls wait (at most 20 s) for {@link #releaseHeldDevices()}, with every other device of the call. */
    public final java.util.Set<String> heldDevices = ConcurrentHashMap.newKeySet();
    /** {@code Authorization} headers of internal calls, newest last. */
    public final List<String> internalAuthorizations = new CopyOnWriteArrayList<>();
    private final TestIssuer issuer;
    private final HttpServer server;
    private volatile CountDownLatch heldReplays = new CountDownLatch(0);
    private volatile CountDownLatch heldDeviceLookups = new CountDownLatch(0);

    public StubServices(TestIssuer issuer) {
        this.issuer = issuer;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, replays with {@link #HELD_LIMIT} wait (at most 20 s) for {@link #releaseHeldReplays()}. */
    public void holdReplays() {
        heldReplays = new CountDownLatch(1);
    }

    public void releaseHeldReplays() {
        heldReplays.countDown();
    }

    /** From now on, lookups of the {@link #heldDevices} wait for {@link #releaseHeldDevices()}. */
    public void holdDevices() {
        heldDeviceLookups = new CountDownLatch(1);
    }

    public void releaseHeldDevices() {
        heldDeviceLookups.countDown();
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    public static DevicePosition positionOf(String deviceId) {
        return new DevicePosition(7, 3, 12, 2);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/internal/")) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                internalAuthorizations.add(String.valueOf(authorization));
                if (!issuer.isServiceToken(authorization) || rejectNextTokens.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                    problem(exchange, 401, "unauthorized", "a valid bearer token is required");
                    return;
                }
            }
            Matcher m;
            if (path.equals(InternalApi.DEVICE_LOOKUPS) && exchange.getRequestMethod().equals("POST")) {
                List<String> asked = Json.read(body(exchange), DeviceLookups.Query.class).deviceIds();
                deviceLookups.addAll(asked);
                deviceLookupCalls.add(asked);
                if (asked.stream().anyMatch(heldDevices::contains)) {
                    await(heldDeviceLookups);
                }
                if (asked.stream().anyMatch(failingDevices::contains)) {
                    problem(exchange, 503, "unavailable", "down");
                } else {
                    json(exchange, 200, Json.write(new DeviceLookups.Answer(asked.stream().map(devices::get).toList())));
                }
            } else if (path.equals(InternalApi.DEVICE_POSITIONS) && exchange.getRequestMethod().equals("POST")) {
                List<DevicePositions.UserDevice> asked = Json.read(body(exchange), DevicePositions.Query.class).devices();
                json(exchange, 200, Json.write(new DevicePositions.Answer(asked.stream()
                        .map(d -> positions.getOrDefault(d.deviceId(), positionOf(d.deviceId()))).toList())));
            } else if ((m = REPLAY.matcher(path)).matches()) {
                String query = exchange.getRequestURI().getRawQuery();
                replayQueries.add(m.group(1) + "?" + query + " accept=" + exchange.getRequestHeaders().getFirst("Accept"));
                if (query != null && query.contains("limit=" + REFUSED_LIMIT)) {
                    problem(exchange, 400, "invalid_continuation_token", "continuation_token is not valid");
                    return;
                }
                if (query != null && query.contains("limit=" + MALFORMED_LIMIT)) {
                    json(exchange, 200, "[]");
                    return;
                }
                if (query != null && query.contains("limit=" + HELD_LIMIT)) {
                    await(heldReplays);
                }
                ServerFrame.DeliveredEvent e = new ServerFrame.DeliveredEvent(5, "0190a0b0-0000-7000-8000-000000000001",
                        "0190a0b0-0000-7000-8000-0000000000aa", 1, "clip", 1, "text", "AAAA", null, 1_700_000_000_000L,
                        false);
                if (query != null && query.contains("limit=" + PAGED_LIMIT) && !query.contains(NEXT_PAGE_TOKEN)) {
                    exchange.getResponseHeaders().add(InternalApi.REPLAY_CONTINUATION_HEADER, NEXT_PAGE_TOKEN);
                    page(exchange, new ReplayPage(List.of(e), true, NEXT_PAGE_TOKEN, 5, 1, false));
                    return;
                }
                if (query != null && query.contains(NEXT_PAGE_TOKEN)) {
                    ServerFrame.DeliveredEvent six = new ServerFrame.DeliveredEvent(6, "0190a0b0-0000-7000-8000-000000000002",
                            e.deviceId(), 2, "clip", 2, "text", "AAAA", null, 1_700_000_000_001L, false);
                    page(exchange, new ReplayPage(List.of(six), false, null, 6, 1, false));
                    return;
                }
                page(exchange, new ReplayPage(List.of(e), false, null, 5, 1, false));
            } else if (path.startsWith("/docs/") && DESCRIBED_SERVICES.contains(path.substring("/docs/".length()))) {
                String service = path.substring("/docs/".length());
                if (failingDescriptions.contains(service)) {
                    problem(exchange, 503, "unavailable", "down");
                } else {
                    json(exchange, 200, Files.readString(ApiDescriptions.COMMITTED.resolve(service + ".json")));
                }
            } else if (path.equals("/api/v1/events")) {
                String id = exchange.getRequestHeaders().getFirst("X-Request-ID");
                routedRequestIds.add(String.valueOf(id));
                routedBodies.add(exchange.getRequestHeaders().getFirst("Content-Length") + "/"
                        + exchange.getRequestBody().readAllBytes().length);
                if (id != null) {
                    exchange.getResponseHeaders().add("X-Request-ID", id);
                }
                json(exchange, 200, "{\"events\":[],\"has_more\":false,\"through_seq\":0,\"oldest_available_seq\":0,\"is_empty\":true}");
            } else {
                problem(exchange, 404, "not_found", "nothing here");
            }
        }
    }

    private static void await(CountDownLatch held) {
        try {
            held.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void problem(HttpExchange exchange, int status, String code, String detail) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
        write(exchange, status, Json.write(Map.of("type", "about:blank", "title", "x", "status", status,
                "detail", detail, "code", code)).getBytes(StandardCharsets.UTF_8));
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        write(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A replay page as event-service writes it: CBOR when the gateway accepts it (§3.4), else JSON. */
    private static void page(HttpExchange exchange, ReplayPage page) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.startsWith(Cbor.MEDIA_TYPE)) {
            exchange.getResponseHeaders().add("Content-Type", Cbor.MEDIA_TYPE);
            write(exchange, 200, Cbor.mapper().writeValueAsBytes(page));
        } else {
            json(exchange, 200, Json.write(page));
        }
    }

    private static void write(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
