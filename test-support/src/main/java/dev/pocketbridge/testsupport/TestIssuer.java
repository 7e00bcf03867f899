package dev.pocketbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import dev.pocketbridge.common.internal.InternalApi;

/**
 * auth-service as the other services see it, in-process on a loopback port: an ES256 key, its JWK
 * set at {@code /.well-known/jwks.json}, the service token endpoint ({@link InternalApi#SERVICE_TOKEN},
 * client {@link #CLIENT_ID} / {@link #CLIENT_SECRET}), and tokens signed with the key as auth-service
 * signs them, so a service under test takes the real resource-server and OAuth 2.0 client paths.
 * Stubs of other services add their paths with {@link #handle} or check calls with {@link #isServiceToken}.
 */
public final class TestIssuer {

    public static final String ISSUER = "pocketbridge";
    public static final String CLIENT_ID = "pocketbridge-services";
    public static final String CLIENT_SECRET = "test-service-client-secret";
    /** Lifetime of the service tokens the endpoint issues. */
    public static final long SERVICE_TOKEN_SECONDS = 300;

    private final HttpServer server;
    private final ECKey key;
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private volatile boolean failing;

    public TestIssuer() {
        key = newKey("test-key");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/.well-known/jwks.json", this::jwks);
        server.createContext(InternalApi.SERVICE_TOKEN, this::token);
        server.start();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public String tokenUri() {
        return url() + InternalApi.SERVICE_TOKEN;
    }

    /** Serves {@code path} (and below) on the same port, for a stub of auth-service's other endpoints. */
    public void handle(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** While failing, the JWK set and the token endpoint answer 503, as an unavailable auth-service would. */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    public boolean failing() {
        return failing;
    }

    /** Token requests answered so far, successful or not. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** A device access token as auth-service issues it, valid for 15 minutes of real time. */
    public String deviceToken(String userId, String deviceId) {
        return sign(claims(deviceId, 900).claim("user_id", userId).claim("device_id", deviceId)
                .claim("roles", List.of("device")).build());
    }

    /** An admin access token as auth-service issues it (roles {@code admin}, no user or device). */
    public String adminToken() {
        return sign(claims("admin:root", 300).claim("roles", List.of("admin")).build());
    }

    /** A service token as auth-service's token endpoint issues it. */
    public String serviceToken() {
        return sign(claims("service:" + CLIENT_ID, SERVICE_TOKEN_SECONDS)
                .audience(InternalApi.SERVICE_AUDIENCE).claim("scope", InternalApi.SERVICE_SCOPE).build());
    }

    /** Signs arbitrary claims with the published key (for expired, foreign-issuer or admin tokens). */
    public String sign(JWTClaimsSet claims) {
        return sign(key, claims);
    }

    /** Signs with a key the JWK set does not publish (a new key id each time). */
    public String signWithUnpublishedKey(JWTClaimsSet claims) {
        return sign(newKey(UUID.randomUUID().toString()), claims);
    }

    /**
     * Whether an {@code Authorization} header carries a service token signed with this key and
     * not expired, as a resource server would decide.
     */
    public boolean isServiceToken(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring("Bearer ".length()));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            return jwt.verify(new ECDSAVerifier(key.toECPublicKey()))
                    && claims.getExpirationTime().toInstant().isAfter(Instant.now())
                    && claims.getAudience().contains(InternalApi.SERVICE_AUDIENCE)
                    && InternalApi.SERVICE_SCOPE.equals(claims.getStringClaim("scope"));
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }

    private static JWTClaimsSet.Builder claims(String subject, long seconds) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(seconds)))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String sign(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey newKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void jwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (failing) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            send(exchange, 200, "application/json", new JWKSet(key.toPublicJWK()).toString());
        }
    }

    /** The client-credentials grant with {@code client_secret_basic}, as auth-service answers it. */
    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            tokenRequests.incrementAndGet();
            if (failing) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "application/problem+json",
                        "{\"status\":401,\"code\":\"invalid_client\",\"error\":\"invalid_client\"}");
                return;
            }
            boolean clientCredentials = List.of(form.split("&")).stream()
                    .map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8))
                    .anyMatch("grant_type=client_credentials"::equals);
            if (!"POST".equals(exchange.getRequestMethod()) || !clientCredentials) {
                send(exchange, 400, "application/problem+json",
                        "{\"status\":400,\"code\":\"unsupported_grant_type\",\"error\":\"unsupported_grant_type\"}");
                return;
            }
            send(exchange, 200, "application/json", "{\"access_token\":\"" + serviceToken()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":" + SERVICE_TOKEN_SECONDS + ",\"scope\":\""
                    + InternalApi.SERVICE_SCOPE + "\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
