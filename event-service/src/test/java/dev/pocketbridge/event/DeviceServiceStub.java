package dev.pocketbridge.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.testsupport.TestIssuer;

/**
 * device-service's internal device lookup ({@code /internal/v1/devices/{id}}), served on the
 * {@link TestIssuer}'s port (so the one test context points at both). Devices are added per test;
 * an unknown one answers 404 as a removed device (or one of a deleted user) does; {@link #failing}
 * answers 503 as an unavailable device-service would. Like every internal API it refuses (401) a
 * call without a valid service token, and counts those it answered.
 */
public final class DeviceServiceStub {

    private static final String PREFIX = "/internal/v1/devices/";

    private final TestIssuer issuer;
    private final Map<String, DeviceCredentials> devices = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean failing;

    DeviceServiceStub(TestIssuer issuer) {
        this.issuer = issuer;
        issuer.handle(PREFIX, this::handle);
    }

    public void put(DeviceCredentials device) {
        devices.put(device.deviceId(), device);
    }

    public void remove(String deviceId) {
        devices.remove(deviceId);
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Lookups answered with a device or a 404. */
    public int lookups() {
        return lookups.get();
    }

    /** Calls refused for want of a service token. */
    public int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (failing) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (!issuer.isServiceToken(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            lookups.incrementAndGet();
            DeviceCredentials device = devices.get(exchange.getRequestURI().getPath().substring(PREFIX.length()));
            if (device == null) {
                send(exchange, 404, "application/problem+json", "{\"code\":\"not_found\",\"status\":404}");
                return;
            }
            send(exchange, 200, "application/json", Json.write(device));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
