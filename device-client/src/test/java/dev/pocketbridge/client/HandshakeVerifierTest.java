package dev.pocketbridge.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.protocol.ServerFrame;
import tools.jackson.databind.JsonNode;

/** The client signs and verifies the common-lib transcripts, reproducing protocol-vectors.json (a copy). */
class HandshakeVerifierTest {

    private static JsonNode vectors;
    private static DeviceIdentity device;
    private static byte[] serverKey;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream stream = HandshakeVerifierTest.class.getResourceAsStream("/protocol-vectors.json")) {
            vectors = Json.mapper().readTree(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
        }
        Ed25519.KeyPair keyPair = Ed25519.KeyPair.fromSeed(
                HexFormat.of().parseHex(vectors.at("/device_key/private_seed_hex").asString()));
        device = DeviceIdentity.of(in("user_id"), in("device_id"), keyPair, "laptop", in("device_type"));
        serverKey = Base64Url.decode(vectors.at("/server_identity_key/server_identity_pub").asString()).orElseThrow();
    }

    private static String in(String name) {
        return vectors.at("/inputs/" + name).asString();
    }

    private static ServerFrame.ServerHello vectorHello(long serverTime, String signature) {
        return new ServerFrame.ServerHello(in("session_id"), in("nonce_s"), serverTime,
                vectors.at("/server_identity_key/server_identity_pub").asString(), signature);
    }

    private static ServerFrame.ServerHello vectorHello() {
        return vectorHello(vectors.at("/inputs/server_time").asLong(), vectors.at("/server_hello/signature").asString());
    }

    @Test
    void registerAndTokenSignaturesMatchTheVectors() {
        assertThat(device.publicKeyBase64()).isEqualTo(vectors.at("/device_key/public_key").asString());
        assertThat(device.sign(Transcripts.register(device.publicKeyBase64(), in("device_type"), in("challenge"))))
                .isEqualTo(vectors.at("/register/signature").asString());
        assertThat(device.sign(Transcripts.token(device.deviceId(), in("challenge"))))
                .isEqualTo(vectors.at("/token/signature").asString());
    }

    @Test
    void clientAuthSignatureMatchesTheVectorAndVerifies() {
        String signature = HandshakeVerifier.clientAuthSignature(device, in("nonce_c"), vectorHello());

        assertThat(signature).isEqualTo(vectors.at("/client_auth/signature").asString());
        assertThat(Ed25519.verify(device.publicKey(), vectors.at("/client_auth/transcript").asString(),
                Base64Url.decode(signature).orElseThrow())).isTrue();
    }

    @Test
    void acceptsTheVectorServerHelloWithAndWithoutPinning() {
        assertThat(HandshakeVerifier.checkServerHello(device, in("nonce_c"), vectorHello(), null)).isNull();
        assertThat(HandshakeVerifier.checkServerHello(device, in("nonce_c"), vectorHello(), serverKey)).isNull();
    }

    @Test
    void refusesAServerHelloForAnotherNonce() {
        String otherNonce = Base64Url.encode(new byte[32]);

        assertThat(HandshakeVerifier.checkServerHello(device, otherNonce, vectorHello(), null))
                .extracting(HandshakeVerifier.Rejection::code).isEqualTo(HandshakeException.SERVER_NOT_VERIFIED);
    }

    @Test
    void refusesAChangedServerTime() {
        ServerFrame.ServerHello changed = vectorHello(vectors.at("/inputs/server_time").asLong() + 1,
                vectors.at("/server_hello/signature").asString());

        assertThat(HandshakeVerifier.checkServerHello(device, in("nonce_c"), changed, null))
                .extracting(HandshakeVerifier.Rejection::code).isEqualTo(HandshakeException.SERVER_NOT_VERIFIED);
    }

    @Test
    void refusesAServerKeyOtherThanThePinnedOne() {
        byte[] otherKey = DeviceIdentity.newKeyPair().publicKey();

        assertThat(HandshakeVerifier.checkServerHello(device, in("nonce_c"), vectorHello(), otherKey))
                .extracting(HandshakeVerifier.Rejection::code).isEqualTo(HandshakeException.SERVER_KEY_MISMATCH);
    }

    @Test
    void refusesAHelloSignedByAnotherKeyThanTheOneItNames() {
        Ed25519.KeyPair impostor = DeviceIdentity.newKeyPair();
        String transcript = Transcripts.serverHello(device.userId(), device.deviceId(), in("nonce_c"),
                in("session_id"), in("nonce_s"), 1L);
        ServerFrame.ServerHello hello = vectorHello(1L, Base64Url.encode(impostor.sign(transcript)));

        assertThat(HandshakeVerifier.checkServerHello(device, in("nonce_c"), hello, null)).isNotNull();
    }

    @Test
    void freshKeysSignAndVerifyRoundTrip() {
        Ed25519.KeyPair server = DeviceIdentity.newKeyPair();
        String nonceC = Base64Url.encode(new byte[32]);
        String transcript = Transcripts.serverHello(device.userId(), device.deviceId(), nonceC, "s-1", "n-s", 42L);
        ServerFrame.ServerHello hello = new ServerFrame.ServerHello("s-1", "n-s", 42L,
                Base64Url.encode(server.publicKey()), Base64Url.encode(server.sign(transcript)));

        assertThat(HandshakeVerifier.checkServerHello(device, nonceC, hello, server.publicKey())).isNull();
    }
}
