package dev.pocketbridge.device.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.device.DeviceIntegrationTest;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import tools.jackson.databind.JsonNode;

class RegistrationIntegrationTest extends DeviceIntegrationTest {

    private static final String REGISTER = "/api/v1/devices/register";

    @Test
    void aStaleBearerHeaderIsIgnoredOnThePublicRegistration() {
        Response response = post(REGISTER, signedRegistration(newKeys(), "Laptop", "desktop", null),
                "Authorization", "Bearer expired.or.garbage");

        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
    }

    @Test
    void registersANewUserWithItsFirstDevice() {
        Ed25519.KeyPair keys = newKeys();
        RegisterBody body = signedRegistration(keys, "My Phone", "mobile", null);

        Response response = post(REGISTER, body);

        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        UUID userId = UUID.fromString(response.text("user_id"));
        UUID deviceId = UUID.fromString(response.text("device_id"));
        assertThat(userId.version()).isEqualTo(7);
        assertThat(deviceId.version()).isEqualTo(7);
        assertThat(userId).isNotEqualTo(deviceId);

        JsonNode credentials = get("/internal/v1/devices/" + deviceId, serviceBearer()).json();
        assertThat(credentials.get("user_id").asString()).isEqualTo(userId.toString());
        assertThat(credentials.get("public_key").asString()).isEqualTo(body.publicKey());
        assertThat(credentials.get("active").asBoolean()).isTrue();
    }

    @Test
    void eachRegistrationWithoutPairingTokenCreatesAnotherUser() {
        TestDevice first = registered("Laptop");
        TestDevice second = registered("Laptop");

        assertThat(first.userId()).isNotEqualTo(second.userId());
    }

    @Test
    void refusesMalformedRequestsAsInvalidRequest() {
        Ed25519.KeyPair keys = newKeys();
        RegisterBody good = signedRegistration(keys, "Laptop", "desktop", null);
        String shortKey = Base64Url.encode(new byte[31]);
        String shortSignature = Base64Url.encode(new byte[63]);
        List<Object> bodies = List.of(
                "{",
                "{}",
                new RegisterBody(null, good.deviceName(), good.deviceType(), good.challenge(), good.signature(), null),
                new RegisterBody(shortKey, good.deviceName(), good.deviceType(), good.challenge(), good.signature(), null),
                new RegisterBody(good.publicKey() + "=", good.deviceName(), good.deviceType(), good.challenge(),
                        good.signature(), null),
                new RegisterBody(good.publicKey(), good.deviceName(), good.deviceType(), good.challenge(),
                        shortSignature, null),
                new RegisterBody(good.publicKey(), good.deviceName(), good.deviceType(), good.challenge(), null, null),
                new RegisterBody(good.publicKey(), good.deviceName(), "tablet", good.challenge(), good.signature(), null),
                new RegisterBody(good.publicKey(), good.deviceName(), "Mobile", good.challenge(), good.signature(), null),
                new RegisterBody(good.publicKey(), good.deviceName(), null, good.challenge(), good.signature(), null),
                new RegisterBody(good.publicKey(), good.deviceName(), good.deviceType(), null, good.signature(), null),
                new RegisterBody(good.publicKey(), good.deviceName(), good.deviceType(), " ", good.signature(), null),
                new RegisterBody(good.publicKey(), good.deviceName(), good.deviceType(), "a\nb", good.signature(), null),
                new RegisterBody(good.publicKey(), null, good.deviceType(), good.challenge(), good.signature(), null));

        for (Object body : bodies) {
            assertThat(problemCode(post(REGISTER, body), 400)).as("%s", body).isEqualTo("invalid_request");
        }
        // none of them consumed the challenge: the good request still works
        assertThat(post(REGISTER, good).status()).isEqualTo(201);
    }

    @Test
    void refusesNamesThatAreEmptyOrTooLongAfterNormalisation() {
        String fiftyOneLetters = "x".repeat(51);
        for (String name : List.of("", "   ", "\u200B\u0007\t", "\u00A0\u2003", fiftyOneLetters)) {
            Response response = post(REGISTER, signedRegistration(newKeys(), name, "web", null));
            assertThat(problemCode(response, 400)).as("name %s", name).isEqualTo("invalid_device_name");
        }
    }

    @Test
    void storesTheNormalisedNameAndCountsCodePoints() {
        String fiftyEmoji = "\uD83D\uDCF1".repeat(50);
        TestDevice emoji = registered(fiftyEmoji);
        TestDevice composed = registered("  Cafe\u0301\u200B Phone\u0000 ");

        assertThat(get("/api/v1/devices", emoji.bearer()).json().get("devices").get(0).get("device_name").asString())
                .isEqualTo(fiftyEmoji);
        assertThat(get("/api/v1/devices", composed.bearer()).json().get("devices").get(0).get("device_name")
                .asString()).isEqualTo("Caf\u00E9 Phone");
    }

    @Test
    void dropsLoneSurrogatesEscapedInTheJson() {
        RegisterBody body = signedRegistration(newKeys(), "ignored", "mobile", null);
        String json = "{\"public_key\":\"" + body.publicKey() + "\",\"device_name\":\"\\ud800Pho\\udc00ne\","
                + "\"device_type\":\"mobile\",\"challenge\":\"" + body.challenge() + "\",\"signature\":\""
                + body.signature() + "\"}";

        Response response = post(REGISTER, json);

        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        TestDevice device = new TestDevice(response.text("user_id"), response.text("device_id"),
                AUTH.accessToken(response.text("user_id"), response.text("device_id")));
        assertThat(get("/api/v1/devices", device.bearer()).json().get("devices").get(0).get("device_name").asString())
                .isEqualTo("Phone");
    }

    @Test
    void refusesASignatureThatDoesNotVerify() {
        Ed25519.KeyPair keys = newKeys();
        RegisterBody good = signedRegistration(keys, "Laptop", "desktop", null);
        String byOtherKey = Base64Url.encode(newKeys().sign(
                Transcripts.register(good.publicKey(), good.deviceType(), good.challenge())));
        String overOtherType = Base64Url.encode(keys.sign(
                Transcripts.register(good.publicKey(), "mobile", good.challenge())));

        for (String signature : List.of(byOtherKey, overOtherType)) {
            Response response = post(REGISTER, new RegisterBody(good.publicKey(), good.deviceName(),
                    good.deviceType(), good.challenge(), signature, null));
            assertThat(problemCode(response, 401)).isEqualTo("signature_invalid");
        }
    }

    @Test
    void refusesAChallengeAuthServiceDoesNotKnowOrThatWasUsed() {
        Ed25519.KeyPair keys = newKeys();
        String publicKey = Base64Url.encode(keys.publicKey());
        String unknown = Base64Url.encode(new byte[32]);
        String signature = Base64Url.encode(keys.sign(Transcripts.register(publicKey, "web", unknown)));
        Response response = post(REGISTER, new RegisterBody(publicKey, "Browser", "web", unknown, signature, null));
        assertThat(problemCode(response, 401)).isEqualTo("challenge_invalid");

        RegisterBody body = signedRegistration(newKeys(), "Browser", "web", null);
        assertThat(post(REGISTER, body).status()).isEqualTo(201);
        Ed25519.KeyPair other = newKeys();
        String otherKey = Base64Url.encode(other.publicKey());
        String replayed = Base64Url.encode(other.sign(Transcripts.register(otherKey, "web", body.challenge())));
        assertThat(problemCode(post(REGISTER, new RegisterBody(otherKey, "Browser", "web", body.challenge(),
                replayed, null)), 401)).isEqualTo("challenge_invalid");
    }

    @Test
    void answersUnavailableWithRetryAfterWhenAuthServiceFails() {
        AUTH.failing(true);

        Response response = post(REGISTER, signedRegistration(newKeys(), "Laptop", "desktop", null));

        assertThat(problemCode(response, 503)).isEqualTo("unavailable");
        assertThat(Long.parseLong(response.header("Retry-After"))).isPositive();
    }

    @Test
    void registersAPublicKeyOnlyOnce() {
        Ed25519.KeyPair keys = newKeys();
        assertThat(post(REGISTER, signedRegistration(keys, "Laptop", "desktop", null)).status()).isEqualTo(201);

        Response again = post(REGISTER, signedRegistration(keys, "Other", "mobile", null));

        assertThat(problemCode(again, 409)).isEqualTo("public_key_taken");
    }

    @Test
    void concurrentRegistrationsOfOneKeyHaveOneWinner() throws Exception {
        Ed25519.KeyPair keys = newKeys();
        int attempts = 4;
        List<RegisterBody> bodies = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            bodies.add(signedRegistration(keys, "Laptop " + i, "desktop", null));
        }

        List<Integer> statuses = concurrently(bodies.stream()
                .<Callable<Integer>>map(body -> () -> post(REGISTER, body).status()).toList());

        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
    }

    @Test
    void concurrentPairedRegistrationsUnderOneNameHaveOneWinner() throws Exception {
        TestDevice first = registered("Laptop");
        List<RegisterBody> bodies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bodies.add(signedRegistration(newKeys(), i % 2 == 0 ? "Phone" : "PHONE", "mobile", pairingToken(first)));
        }

        List<Integer> statuses = concurrently(bodies.stream()
                .<Callable<Integer>>map(body -> () -> post(REGISTER, body).status()).toList());

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(2);
    }

    @Test
    void concurrentPairedRegistrationsNeverExceedTheDeviceLimit() throws Exception {
        TestDevice first = registered("First");
        List<RegisterBody> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bodies.add(signedRegistration(newKeys(), "Paired " + i, "mobile", pairingToken(first)));
        }

        List<Integer> statuses = concurrently(bodies.stream()
                .<Callable<Integer>>map(body -> () -> post(REGISTER, body).status()).toList());

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(4);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(4);
        assertThat(get("/api/v1/devices", first.bearer()).json().get("count").asInt()).isEqualTo(5);
    }
}
