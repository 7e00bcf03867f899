package dev.pocketbridge.common;

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
import tools.jackson.databind.JsonNode;

/** Reproduces protocol-vectors.json (a verbatim copy of the published vectors) byte for byte. */
class ProtocolVectorsTest {

    private static JsonNode vectors;
    private static JsonNode in;
    private static Ed25519.KeyPair device;
    private static Ed25519.KeyPair server;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream stream = ProtocolVectorsTest.class.getResourceAsStream("/protocol-vectors.json")) {
            vectors = Json.mapper().readTree(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
        }
        in = vectors.get("inputs");
        device = Ed25519.KeyPair.fromSeed(HexFormat.of().parseHex(vectors.at("/device_key/private_seed_hex").asString()));
        server = Ed25519.KeyPair.fromSeed(
                HexFormat.of().parseHex(vectors.at("/server_identity_key/private_seed_hex").asString()));
    }

    @Test
    void derivedPublicKeysMatch() {
        assertThat(Base64Url.encode(device.publicKey())).isEqualTo(vectors.at("/device_key/public_key").asString());
        assertThat(Base64Url.encode(server.publicKey()))
                .isEqualTo(vectors.at("/server_identity_key/server_identity_pub").asString());
    }

    @Test
    void register() {
        String transcript = Transcripts.register(vectors.at("/device_key/public_key").asString(),
                text("device_type"), text("challenge"));
        assertVector("register", transcript, device);
    }

    @Test
    void token() {
        assertVector("token", Transcripts.token(text("device_id"), text("challenge")), device);
    }

    @Test
    void serverHello() {
        String transcript = Transcripts.serverHello(text("user_id"), text("device_id"), text("nonce_c"),
                text("session_id"), text("nonce_s"), in.get("server_time").asLong());
        assertVector("server_hello", transcript, server);
    }

    @Test
    void clientAuth() {
        String transcript = Transcripts.clientAuth(text("user_id"), text("device_id"), text("nonce_c"),
                text("session_id"), text("nonce_s"));
        assertVector("client_auth", transcript, device);
    }

    private static String text(String input) {
        return in.get(input).asString();
    }

    private static void assertVector(String name, String transcript, Ed25519.KeyPair signer) {
        JsonNode vector = vectors.get(name);
        assertThat(transcript.getBytes(StandardCharsets.UTF_8))
                .isEqualTo(vector.get("transcript").asString().getBytes(StandardCharsets.UTF_8));
        byte[] signature = signer.sign(transcript);
        assertThat(Base64Url.encode(signature)).isEqualTo(vector.get("signature").asString());
        assertThat(Ed25519.verify(signer.publicKey(), transcript, signature)).isTrue();
        byte[] tampered = transcript.concat(" ").getBytes(StandardCharsets.UTF_8);
        assertThat(Ed25519.verify(signer.publicKey(), tampered, signature)).isFalse();
    }
}
