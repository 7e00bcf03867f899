package dev.pocketbridge.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;

/**
 * device-service's internal device lookup and sign-out, in-process: one per JVM (so every
 * integration test shares one Spring context pointing at it). Devices are added per test and
 * {@link #remove removed} as a removal or an account deletion would; {@link #failing} makes it answer
 * 503 as an unavailable device-service would, {@link #signOutsFailing} only to sign-outs. A sign-out
 * cuts the device's tokens off as device-service does ({@code tokens_not_before} = the start of the
 * current second of {@link #clock}) and is kept ({@link #signOuts}). Like every internal API it
 * answers 401 to a call without a bearer token, and keeps the last one it got
 * ({@link #lastAuthorization}) so tests can check it is a service token.
 */
public final class DeviceServiceStub {

    private static final String PREFIX = "/internal/v1/devices/";
    private static final String SIGN_OUT_SUFFIX = "/sign-out";
    private static DeviceServiceStub instance;

    private final HttpServer server;
    private final Map<String, DeviceCredentials> devices = new ConcurrentHashMap<>();
    private final List<SignOut> signOuts = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private volatile boolean signOutsFailing;
    private volatile String lastAuthorization;
    private volatile Clock clock = Clock.systemUTC();

    /** A sign-out device-service confirmed, with the {@code Authorization} header it came with. */
    public record SignOut(String deviceId, String authorization) {
    }

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

    /** The device is unknown from now on (404), as after its removal or its user's deletion. */
    public void remove(String deviceId) {
        devices.remove(deviceId);
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** While true, sign-outs answer 503 (lookups still work). */
    public void signOutsFailing(boolean failing) {
        this.signOutsFailing = failing;
    }

    /** The clock sign-outs take their cut from (the service's test clock). */
    public void clock(Clock clock) {
        this.clock = clock;
    }

    /** The confirmed sign-outs of one device, oldest first. */
    public List<SignOut> signOuts(String deviceId) {
        return signOuts.stream().filter(s -> s.deviceId().equals(deviceId)).toList();
    }

    /** The {@code Authorization} header of the last lookup, or null. */
    public String lastAuthorization() {
        return lastAuthorization;
    }

    public void reset() {
        failing = false;
        signOutsFailing = false;
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
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            if ("POST".equals(exchange.getRequestMethod()) && path.endsWith(SIGN_OUT_SUFFIX)) {
                signOut(exchange, path.substring(0, path.length() - SIGN_OUT_SUFFIX.length()));
                return;
            }
            DeviceCredentials device = devices.get(path);
            if (device == null) {
                notFound(exchange);
                return;
            }
            byte[] body = Json.write(device).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void signOut(HttpExchange exchange, String deviceId) throws IOException {
        if (signOutsFailing) {
            exchange.sendResponseHeaders(503, -1);
            return;
        }
        long cut = clock.instant().truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
        DeviceCredentials signedOut = devices.computeIfPresent(deviceId, (id, d) -> new DeviceCredentials(
                d.deviceId(), d.userId(), d.publicKey(), d.active(),
                d.tokensNotBefore() == null ? cut : Math.max(cut, d.tokensNotBefore())));
        if (signedOut == null) {
            notFound(exchange);
            return;
        }
        signOuts.add(new SignOut(deviceId, lastAuthorization));
        exchange.sendResponseHeaders(204, -1);
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        byte[] body = "{\"code\":\"not_found\",\"status\":404}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
    }
}
