package dev.pocketbridge.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.ChallengeConsumption;
import dev.pocketbridge.common.internal.InternalApi;

/**
 * auth-service as device-service sees it, in-process and one per JVM (so every integration test
 * shares one Spring context pointing at it): the internal challenge consumption and the JWK set
 * of a test EC key that {@link #accessToken} signs ES256 access tokens with, so bearer tokens take
 * the real resource-server path. {@link #failing} answers 503 as an unavailable auth-service would.
 */
public final class AuthServiceStub {

    public static final String ISSUER = "pocketbridge";
    private static AuthServiceStub instance;

    private final HttpServer server;
    private final Set<String> challenges = ConcurrentHashMap.newKeySet();
    private final ECKey signingKey;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean failing;

    private AuthServiceStub() {
        try {
            signingKey = new ECKeyGenerator(Curve.P_256).keyID("test-key").generate();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        server.createContext(InternalApi.CONSUME_CHALLENGE, this::consume);
        server.createContext("/.well-known/jwks.json", this::jwks);
        server.start();
    }

    public static synchronized AuthServiceStub get() {
        if (instance == null) {
            instance = new AuthServiceStub();
        }
        return instance;
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** A fresh register challenge that the stub will consume once. */
    public String issueChallenge() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String challenge = Base64Url.encode(bytes);
        challenges.add(challenge);
        return challenge;
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    public void reset() {
        failing = false;
    }

    /** An ES256 device access token as auth-service issues it, valid for 15 minutes of real time. */
    public String accessToken(String userId, String deviceId) {
        Instant now = Instant.now();
        return sign(new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(deviceId)
                .claim("user_id", userId)
                .claim("device_id", deviceId)
                .claim("roles", List.of("device"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(900)))
                .jwtID(UUID.randomUUID().toString())
                .build());
    }

    /** Signs arbitrary claims with the published key (for expired, foreign-issuer or admin tokens). */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).build(),
                    claims);
            jwt.sign(new ECDSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs a device token with a key the JWK set does not publish (new key id each time). */
    public String accessTokenWithUnpublishedKey(String userId, String deviceId) {
        try {
            ECKey other = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(other.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer(ISSUER).subject(deviceId).claim("user_id", userId)
                            .claim("device_id", deviceId).claim("roles", List.of("device"))
                            .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(900))).build());
            jwt.sign(new ECDSASigner(other));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void consume(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (failing) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            ChallengeConsumption consumption = Json.read(body, ChallengeConsumption.class);
            boolean consumed = "POST".equals(exchange.getRequestMethod())
                    && ChallengeConsumption.PURPOSE_REGISTER.equals(consumption.purpose())
                    && consumption.deviceId() == null
                    && challenges.remove(consumption.challenge());
            if (consumed) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            send(exchange, 404, "application/problem+json", "{\"code\":\"challenge_invalid\",\"status\":404}");
        }
    }

    private void jwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (failing) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            send(exchange, 200, "application/json", new JWKSet(signingKey.toPublicJWK()).toString());
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
