package dev.pocketbridge.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;

/**
 * device-service's internal device lookup, in-process: one per JVM (so every integration test
 * shares one Spring context pointing at it). Devices are added per test; {@link #failing} makes it
 * answer 503 as an unavailable device-service would. Like every internal API it answers 401 to a
 * call without a bearer token, and keeps the last one it got ({@link #lastAuthorization}) so tests
 * can check it is a service token.
 */
public final class DeviceServiceStub {

    private static final String PREFIX = "/internal/v1/devices/";
    private static DeviceServiceStub instance;

    private final HttpServer server;
    private final Map<String, DeviceCredentials> devices = new ConcurrentHashMap<>();
    private volatile boolean failing;
    private volatile String lastAuthorization;

    private DeviceServiceStub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    public static synchronized DeviceServiceStub get() {
        if (instance == null) {
            instance = new DeviceServiceStub();
        }
        return instance;
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public void put(DeviceCredentials device) {
        devices.put(device.deviceId(), device);
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** The {@code Authorization} header of the last lookup, or null. */
    public String lastAuthorization() {
        return lastAuthorization;
    }

    public void reset() {
        failing = false;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (failing) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (lastAuthorization == null || !lastAuthorization.startsWith("Bearer ")) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            DeviceCredentials device = devices.get(exchange.getRequestURI().getPath().substring(PREFIX.length()));
            if (device == null) {
                byte[] body = "{\"code\":\"not_found\",\"status\":404}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            byte[] body = Json.write(device).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
