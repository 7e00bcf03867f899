package dev.pocketbridge.device.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.device.DeviceIntegrationTest;
import dev.pocketbridge.device.Hashes;
import dev.pocketbridge.testsupport.HttpTestClient.Response;

class PairingIntegrationTest extends DeviceIntegrationTest {

    private static final String PAIRING = "/api/v1/pairing";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    PairingPurger purger;

    @Test
    void aPairedDeviceJoinsTheUserOfTheDeviceThatMadeTheCode() {
        TestDevice first = registered("Laptop");
        String payload = Base64Url.encode("sealed for the new device".getBytes());
        Instant now = clock.instant();

        Response created = post(PAIRING, new PairingBody(payload), first.bearer());
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String code = created.text("code");
        assertThat(code).matches("[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}");
        assertThat(created.json().get("expires_at").asLong()).isEqualTo(now.plus(Duration.ofMinutes(5)).toEpochMilli());

        Response redeemed = get(PAIRING + "/" + code);
        assertThat(redeemed.status()).as(redeemed.raw().body()).isEqualTo(200);
        assertThat(redeemed.text("user_id")).isEqualTo(first.userId());
        assertThat(redeemed.text("encrypted_payload")).isEqualTo(payload);
        assertThat(Base64Url.decodeExact(redeemed.text("pairing_token"), 32)).isPresent();
        assertThat(redeemed.json().get("expires_at").asLong())
                .isEqualTo(now.plus(Duration.ofMinutes(10)).toEpochMilli());

        TestDevice second = registered("Phone", redeemed.text("pairing_token"));
        assertThat(second.userId()).isEqualTo(first.userId());
        assertThat(second.deviceId()).isNotEqualTo(first.deviceId());
        assertThat(get("/api/v1/devices", first.bearer()).json().get("count").asInt()).isEqualTo(2);
    }

    @Test
    void storesOnlyHashesOfCodesAndTokens() {
        TestDevice first = registered("Laptop");
        String code = pairingCode(first);
        String normalized = code.replace("-", "");

        assertThat(jdbc.sql("SELECT count(*) FROM pairing_codes WHERE code_hash = ?").param(Hashes.sha256(normalized))
                .query(Long.class).single()).isEqualTo(1);
        String token = get(PAIRING + "/" + code).text("pairing_token");
        assertThat(jdbc.sql("SELECT count(*) FROM pairing_tokens WHERE token_hash = ?").param(Hashes.sha256(token))
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM pairing_tokens WHERE token_hash = ?").param(token)
                .query(Long.class).single()).isZero();
    }

    @Test
    void aCodeCanBeLookedUpOnlyOnce() {
        String code = pairingCode(registered("Laptop"));
        assertThat(get(PAIRING + "/" + code).status()).isEqualTo(200);

        assertThat(problemCode(get(PAIRING + "/" + code), 404)).isEqualTo("not_found");
    }

    @Test
    void ofConcurrentLookupsOfOneCodeExactlyOneSucceeds() throws Exception {
        String code = pairingCode(registered("Laptop"));

        List<Integer> statuses = concurrently(Collections.nCopies(4,
                (Callable<Integer>) () -> get(PAIRING + "/" + code).status()));

        assertThat(statuses).containsOnly(200, 404);
        assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
    }

    @Test
    void lookupForgivesCaseTheDashAndLookalikeLetters() {
        TestDevice first = registered("Laptop");
        String code;
        do {
            code = pairingCode(first);
        } while (!code.contains("0") && !code.contains("1"));
        String typed = code.replace("-", "").toLowerCase(Locale.ROOT).replace('0', 'o').replace('1', 'l');

        Response response = get(PAIRING + "/" + typed);

        assertThat(response.status()).as(typed).isEqualTo(200);
        assertThat(response.text("user_id")).isEqualTo(first.userId());
    }

    @Test
    void unknownMalformedAndExpiredCodesAllAnswerNotFound() {
        TestDevice first = registered("Laptop");
        String code = pairingCode(first);
        clock.advance(Duration.ofMinutes(5));

        for (String probe : List.of(code, "0000-0000", "UUUU-UUUU", "ABC", "ABCD-EFGH-J")) {
            Response response = get(PAIRING + "/" + probe);
            assertThat(problemCode(response, 404)).as(probe).isEqualTo("not_found");
            assertThat(response.json().get("detail").asString()).isEqualTo("no such pairing code (unknown, used or expired)");
        }
    }

    @Test
    void aCodeWorksUntilJustBeforeItExpires() {
        String code = pairingCode(registered("Laptop"));
        clock.advance(Duration.ofMinutes(5).minusMillis(1));

        assertThat(get(PAIRING + "/" + code).status()).isEqualTo(200);
    }

    @Test
    void aPairingTokenIsSingleUseAndExpires() {
        TestDevice first = registered("Laptop");
        String token = pairingToken(first);
        registered("Phone", token);

        assertThat(problemCode(register("Tablet", token), 401)).isEqualTo("pairing_token_invalid");

        String late = pairingToken(first);
        clock.advance(Duration.ofMinutes(10));
        assertThat(problemCode(register("Tablet", late), 401)).isEqualTo("pairing_token_invalid");
    }

    @Test
    void unknownOrMalformedPairingTokensAreRefused() {
        for (String token : List.of(Base64Url.encode(new byte[32]), "not-a-token", "")) {
            assertThat(problemCode(register("Phone", token), 401)).as(token).isEqualTo("pairing_token_invalid");
        }
    }

    @Test
    void aFailedRegistrationLeavesThePairingTokenUsable() {
        TestDevice first = registered("Laptop");
        String token = pairingToken(first);

        assertThat(problemCode(register(" laptop ", token), 409)).isEqualTo("device_name_taken");

        assertThat(registered("Phone", token).userId()).isEqualTo(first.userId());
    }

    @Test
    void aUserHasAtMostFiveActiveDevices() {
        TestDevice first = registered("Laptop");
        pairedDevices(first, 4);
        String token = pairingToken(first);

        assertThat(problemCode(register("Sixth", token), 409)).isEqualTo("device_limit_reached");
        assertThat(get("/api/v1/devices", first.bearer()).json().get("count").asInt()).isEqualTo(5);
    }

    @Test
    void refusesPayloadsThatAreTooLargeOrNotBase64Url() {
        TestDevice first = registered("Laptop");

        assertThat(post(PAIRING, new PairingBody(Base64Url.encode(new byte[8192])), first.bearer()).status())
                .isEqualTo(201);
        assertThat(problemCode(post(PAIRING, new PairingBody(Base64Url.encode(new byte[8193])), first.bearer()), 400))
                .isEqualTo("payload_too_large");
        for (Object body : List.of(new PairingBody("not base64!"), new PairingBody("AAA="), new PairingBody(""), "{}")) {
            assertThat(problemCode(post(PAIRING, body, first.bearer()), 400)).as("%s", body)
                    .isEqualTo("invalid_request");
        }
    }

    @Test
    void makingACodeNeedsAValidDeviceToken() {
        TestDevice first = registered("Laptop");
        PairingBody body = new PairingBody("AQID");
        Instant past = Instant.now().minus(Duration.ofHours(1));
        String expired = AUTH.sign(new JWTClaimsSet.Builder().issuer("pocketbridge").subject(first.deviceId())
                .claim("user_id", first.userId()).claim("device_id", first.deviceId()).claim("roles", List.of("device"))
                .issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(900))).build());
        String foreignIssuer = AUTH.sign(new JWTClaimsSet.Builder().issuer("someone-else").subject(first.deviceId())
                .claim("user_id", first.userId()).claim("device_id", first.deviceId()).claim("roles", List.of("device"))
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(900))).build());
        String tampered = first.accessToken().substring(0, first.accessToken().length() - 4) + "AAAA";

        assertThat(problemCode(post(PAIRING, body), 401)).isEqualTo("unauthorized");
        for (String token : List.of("garbage", expired, foreignIssuer, tampered)) {
            Response response = post(PAIRING, body, "Authorization", "Bearer " + token);
            assertThat(problemCode(response, 401)).isEqualTo("unauthorized");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
        String unpublishedKey = AUTH.accessTokenWithUnpublishedKey(first.userId(), first.deviceId());
        assertThat(problemCode(post(PAIRING, body, "Authorization", "Bearer " + unpublishedKey), 401))
                .isEqualTo("unauthorized");
        String unknownDevice = AUTH.accessToken(first.userId(), UUID.randomUUID().toString());
        assertThat(problemCode(post(PAIRING, body, "Authorization", "Bearer " + unknownDevice), 401))
                .isEqualTo("unauthorized");
        String admin = AUTH.sign(new JWTClaimsSet.Builder().issuer("pocketbridge").subject("admin:root")
                .claim("roles", List.of("admin"))
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(900))).build());
        assertThat(problemCode(post(PAIRING, body, "Authorization", "Bearer " + admin), 403)).isEqualTo("forbidden");
    }

    @Test
    void answersUnavailableWhenTheTokenKeysCannotBeFetched() {
        TestDevice first = registered("Laptop");
        AUTH.failing(true);

        // a key id the service has not cached makes it fetch the JWK set again
        Response response = post(PAIRING, new PairingBody("AQID"), "Authorization",
                "Bearer " + AUTH.accessTokenWithUnpublishedKey(first.userId(), first.deviceId()));

        assertThat(problemCode(response, 503)).isEqualTo("unavailable");
        assertThat(response.header("Retry-After")).isNotBlank();
    }

    @Test
    void purgesExpiredCodesAndTokens() {
        TestDevice first = registered("Laptop");
        String code = pairingCode(first);
        pairingToken(first);
        clock.advance(Duration.ofMinutes(10));

        assertThat(purger.purge()).isGreaterThanOrEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM pairing_codes WHERE code_hash = ?")
                .param(Hashes.sha256(code.replace("-", ""))).query(Long.class).single()).isZero();
    }
}
