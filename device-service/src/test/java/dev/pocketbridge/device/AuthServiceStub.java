package dev.pocketbridge.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.ChallengeConsumption;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.testsupport.TestIssuer;

/**
 * auth-service as device-service sees it, in-process and one per JVM (so every integration test
 * shares one Spring context pointing at it): a {@link TestIssuer} (the JWK set of bearer tokens,
 * the service token endpoint) plus the internal challenge consumption, which, like every internal
 * API, answers 401 to a call without a service token. {@link #failing} answers 503 as an
 * unavailable auth-service would.
 */
public final class AuthServiceStub {

    public static final String ISSUER = TestIssuer.ISSUER;
    private static AuthServiceStub instance;

    private final TestIssuer issuer = new TestIssuer();
    private final Set<String> challenges = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    private AuthServiceStub() {
        issuer.handle(InternalApi.CONSUME_CHALLENGE, this::consume);
    }

    public static synchronized AuthServiceStub get() {
        if (instance == null) {
            instance = new AuthServiceStub();
        }
        return instance;
    }

    public String url() {
        return issuer.url();
    }

    public TestIssuer issuer() {
        return issuer;
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
        issuer.failing(failing);
    }

    public void reset() {
        issuer.failing(false);
    }

    /** An ES256 device access token as auth-service issues it, valid for 15 minutes of real time. */
    public String accessToken(String userId, String deviceId) {
        return issuer.deviceToken(userId, deviceId);
    }

    public String adminToken() {
        return issuer.adminToken();
    }

    /** A service token as auth-service's token endpoint issues it. */
    public String serviceToken() {
        return issuer.serviceToken();
    }

    /** Signs arbitrary claims with the published key (for expired, foreign-issuer or admin tokens). */
    public String sign(JWTClaimsSet claims) {
        return issuer.sign(claims);
    }

    /** Signs a device token with a key the JWK set does not publish (new key id each time). */
    public String accessTokenWithUnpublishedKey(String userId, String deviceId) {
        Instant now = Instant.now();
        return issuer.signWithUnpublishedKey(new JWTClaimsSet.Builder().issuer(ISSUER).subject(deviceId)
                .claim("user_id", userId).claim("device_id", deviceId).claim("roles", List.of("device"))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(900))).build());
    }

    private void consume(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (issuer.failing()) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (!issuer.isServiceToken(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"code\":\"unauthorized\",\"status\":401}");
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
            send(exchange, 404, "{\"code\":\"challenge_invalid\",\"status\":404}");
        }
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
