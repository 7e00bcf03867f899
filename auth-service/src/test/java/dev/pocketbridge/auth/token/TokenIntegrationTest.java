package dev.pocketbridge.auth.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

import dev.pocketbridge.auth.AuthIntegrationTest;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.testsupport.HttpTestClient.Response;

class TokenIntegrationTest extends AuthIntegrationTest {

    @Autowired
    SigningKey signingKey;
    @Autowired
    SigningKeyRepository signingKeys;
    @Autowired
    TokenProperties properties;

    private Jwt decodeWithPublishedJwks(String token) throws Exception {
        Response jwks = get("/.well-known/jwks.json");
        assertThat(jwks.status()).isEqualTo(200);
        JWKSet set = JWKSet.parse(jwks.raw().body());
        assertThat(set.getKeys()).hasSize(1);
        assertThat(set.getKeys().getFirst().isPrivate()).isFalse();
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(set))
                .jwsAlgorithm(SignatureAlgorithm.ES256).build();
        // Default validators use the system clock; the issuing clock is the (reset) test clock, close to it.
        return decoder.decode(token);
    }

    @Test
    void aDeviceSigningTheTokenTranscriptGetsAnEs256TokenVerifiableWithTheJwks() throws Exception {
        TestDevice device = registeredDevice();

        Response response = login(device);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text("token_type")).isEqualTo("Bearer");
        assertThat(response.json().get("expires_in").asLong()).isEqualTo(900);
        assertThat(Base64Url.decodeExact(response.text("refresh_token"), 32)).isPresent();
        Jwt jwt = decodeWithPublishedJwks(response.text("access_token"));
        assertThat(jwt.getHeaders()).containsEntry("alg", "ES256").containsEntry("kid", signingKey.kid());
        assertThat(jwt.getClaimAsString("iss")).isEqualTo("pocketbridge");
        assertThat(jwt.getSubject()).isEqualTo(device.deviceId());
        assertThat(jwt.getClaimAsString("user_id")).isEqualTo(device.userId());
        assertThat(jwt.getClaimAsString("device_id")).isEqualTo(device.deviceId());
        assertThat(jwt.getClaimAsStringList("roles")).containsExactly("device");
        assertThat(jwt.getId()).isNotBlank();
        assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void verifyDescribesAValidBearerToken() {
        TestDevice device = registeredDevice();
        String token = login(device).text("access_token");

        Response verify = get("/api/v1/auth/verify", "Authorization", "Bearer " + token);

        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.text("user_id")).isEqualTo(device.userId());
        assertThat(verify.text("device_id")).isEqualTo(device.deviceId());
        assertThat(verify.json().get("roles").get(0).asString()).isEqualTo("device");
        assertThat(verify.json().get("expires_at").asLong())
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(15)).getEpochSecond() * 1000);
    }

    private Response verify(String accessToken) {
        return get("/api/v1/auth/verify", "Authorization", "Bearer " + accessToken);
    }

    @Test
    void verifyRefusesATokenOfARevokedDeviceWithinASecond() {
        TestDevice device = registeredDevice();
        String token = login(device).text("access_token");
        assertThat(verify(token).status()).isEqualTo(200);

        revoke(device);
        clock.advance(Duration.ofSeconds(1));

        assertThat(problemCode(verify(token), 401)).isEqualTo("unauthorized");
    }

    @Test
    void verifyRefusesATokenOfARemovedDeviceOrDeletedUser() {
        TestDevice device = registeredDevice();
        String token = login(device).text("access_token");
        remove(device);
        clock.advance(Duration.ofSeconds(1));

        assertThat(problemCode(verify(token), 401)).isEqualTo("unauthorized");
    }

    @Test
    void verifyRefusesATokenIssuedBeforeTheDevicesSignOutAndAcceptsOneIssuedAfter() {
        TestDevice device = registeredDevice();
        String before = login(device).text("access_token");
        clock.advance(Duration.ofSeconds(1));
        DEVICES.put(device.credentials(true, clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        clock.advance(Duration.ofSeconds(1));

        assertThat(problemCode(verify(before), 401)).isEqualTo("unauthorized");
        String after = login(device).text("access_token");
        assertThat(verify(after).status()).isEqualTo(200);
    }

    @Test
    void verifyOfADeviceTokenIsA503WhileDeviceServiceCannotSay() {
        String token = login(registeredDevice()).text("access_token");
        clock.advance(Duration.ofSeconds(1));
        DEVICES.failing(true);

        Response response = verify(token);

        assertThat(problemCode(response, 503)).isEqualTo("unavailable");
        assertThat(response.header("Retry-After")).isEqualTo("5");
    }

    @Test
    void aRemovedDeviceCannotLogIn() {
        TestDevice device = registeredDevice();
        assertThat(login(device).status()).isEqualTo(200);

        remove(device);

        assertThat(problemCode(login(device), 401)).isEqualTo("authentication_failed");
    }

    @Test
    void verifyWithoutAValidBearerIsAnUnauthorizedProblem() {
        Response missing = get("/api/v1/auth/verify", "X-Request-ID", "no-token-1");
        assertThat(problemCode(missing, 401)).isEqualTo("unauthorized");
        assertThat(missing.header("X-Request-ID")).isEqualTo("no-token-1");

        assertThat(problemCode(get("/api/v1/auth/verify", "Authorization", "Bearer not.a.jwt"), 401))
                .isEqualTo("unauthorized");

        String token = login(registeredDevice()).text("access_token");
        clock.advance(Duration.ofMinutes(16));
        assertThat(problemCode(get("/api/v1/auth/verify", "Authorization", "Bearer " + token), 401))
                .isEqualTo("unauthorized");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRejected() throws Exception {
        TestDevice device = registeredDevice();
        com.nimbusds.jose.jwk.ECKey attacker = new com.nimbusds.jose.jwk.ECKey.Builder(SigningKey.generate())
                .keyID(signingKey.kid()).build();
        com.nimbusds.jwt.SignedJWT forged = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                        .keyID(signingKey.kid()).build(),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("pocketbridge").subject(device.deviceId())
                        .claim("user_id", device.userId()).claim("device_id", device.deviceId())
                        .claim("roles", List.of("admin"))
                        .issueTime(java.util.Date.from(clock.instant()))
                        .expirationTime(java.util.Date.from(clock.instant().plusSeconds(600))).build());
        forged.sign(new com.nimbusds.jose.crypto.ECDSASigner(attacker));

        assertThat(problemCode(get("/api/v1/auth/verify", "Authorization", "Bearer " + forged.serialize()), 401))
                .isEqualTo("unauthorized");
    }

    @Test
    void aBadSignatureAnUnknownDeviceAndARevokedDeviceFailAlike() {
        TestDevice device = registeredDevice();
        String challenge = tokenChallenge(device.deviceId());
        String wrongSignature = Base64Url.encode(device.keys().sign(Transcripts.token(device.deviceId(), "other")));
        Response badSignature = post("/api/v1/auth/token", new TokenBody(device.deviceId(), challenge, wrongSignature));

        String unknownId = UUID.randomUUID().toString();
        String unknownChallenge = tokenChallenge(unknownId);
        Response unknown = post("/api/v1/auth/token", new TokenBody(unknownId, unknownChallenge,
                Base64Url.encode(device.keys().sign(Transcripts.token(unknownId, unknownChallenge)))));

        TestDevice revoked = registeredDevice();
        revoke(revoked);
        Response revokedResponse = login(revoked);

        for (Response response : List.of(badSignature, unknown, revokedResponse)) {
            assertThat(problemCode(response, 401)).isEqualTo("authentication_failed");
            assertThat(response.text("detail")).isEqualTo(badSignature.text("detail"));
        }
    }

    @Test
    void aChallengeServesOneLoginAttempt() {
        TestDevice device = registeredDevice();
        String challenge = tokenChallenge(device.deviceId());
        TokenBody body = new TokenBody(device.deviceId(), challenge,
                Base64Url.encode(device.keys().sign(Transcripts.token(device.deviceId(), challenge))));

        assertThat(post("/api/v1/auth/token", body).status()).isEqualTo(200);
        assertThat(problemCode(post("/api/v1/auth/token", body), 401)).isEqualTo("challenge_invalid");
    }

    @Test
    void aChallengeOfAnotherDeviceIsRefused() {
        TestDevice device = registeredDevice();
        String challenge = tokenChallenge(UUID.randomUUID().toString());
        TokenBody body = new TokenBody(device.deviceId(), challenge,
                Base64Url.encode(device.keys().sign(Transcripts.token(device.deviceId(), challenge))));

        assertThat(problemCode(post("/api/v1/auth/token", body), 401)).isEqualTo("challenge_invalid");
    }

    @Test
    void malformedTokenRequestsAreInvalid() {
        String device = UUID.randomUUID().toString();
        String challenge = tokenChallenge(device);
        assertThat(problemCode(post("/api/v1/auth/token", new TokenBody(device, challenge, "short")), 400))
                .isEqualTo("invalid_request");
        assertThat(problemCode(post("/api/v1/auth/token", "{\"device_id\":\"" + device + "\"}"), 400))
                .isEqualTo("invalid_request");
        assertThat(problemCode(post("/api/v1/auth/token", new TokenBody("not-a-uuid", challenge,
                Base64Url.encode(new byte[64]))), 400)).isEqualTo("invalid_request");
    }

    @Test
    void anUnavailableDeviceServiceIsA503WithRetryAfter() {
        TestDevice device = registeredDevice();
        DEVICES.failing(true);

        Response response = login(device);

        assertThat(problemCode(response, 503)).isEqualTo("unavailable");
        assertThat(response.header("Retry-After")).isEqualTo("5");
    }

    @Test
    void everyInstanceAndRestartLoadsTheSameStoredSigningKey() {
        SigningKey again = SigningKey.load(properties, signingKeys, clock);

        assertThat(again.kid()).isEqualTo(signingKey.kid());
        assertThat(again.privateKey()).isEqualTo(signingKey.privateKey());
    }

    @Test
    void aSecondInstanceLosingTheFirstStartRaceKeepsTheStoredKey() {
        com.nimbusds.jose.jwk.ECKey loser = SigningKey.generate();

        assertThat(signingKeys.insertActiveIfNone(loser.getKeyID(), "ES256", loser.toJSONString(), clock.instant()))
                .isZero();
        assertThat(SigningKey.load(properties, signingKeys, clock).kid()).isEqualTo(signingKey.kid());
    }

    @Test
    void aConfiguredSigningKeyIsUsedAsGiven() {
        String jwk = SigningKey.generate().toJSONString();
        SigningKey configured = SigningKey.load(new TokenProperties("pocketbridge", Duration.ofMinutes(15), jwk),
                signingKeys, clock);

        assertThat(configured.privateKey().toJSONString()).isEqualTo(jwk);
        assertThat(configured.kid()).isNotEqualTo(signingKey.kid());
    }
}
