package dev.pocketbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;
import tools.jackson.databind.JsonNode;

/**
 * The client's handshake signs and verifies the common-lib transcripts, reproducing common-lib's
 * protocol-vectors.json, and walks the §3.1 steps without a socket.
 */
class ClientHandshakeTest {

    private static JsonNode vectors;
    private static DeviceIdentity device;
    private static byte[] serverKey;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream stream = ClientHandshakeTest.class.getResourceAsStream("/protocol-vectors.json")) {
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

    /** The vectors' handshake: their device, {@code nonce_c} and (optionally) pinned server key. */
    private static ClientHandshake vectorHandshake(byte[] pinned) {
        return new ClientHandshake(device, pinned, in("nonce_c"));
    }

    private static ServerFrame.SessionEstablished established(String sessionId) {
        return new ServerFrame.SessionEstablished(sessionId, 4, 2, 9, 1, 1_900_000_000_000L, 10485760);
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
        String signature = vectorHandshake(null).clientAuth(vectorHello()).signature();

        assertThat(signature).isEqualTo(vectors.at("/client_auth/signature").asString());
        assertThat(Ed25519.verify(device.publicKey(), vectors.at("/client_auth/transcript").asString(),
                Base64Url.decode(signature).orElseThrow())).isTrue();
    }

    @Test
    void acceptsTheVectorServerHelloWithAndWithoutPinning() {
        assertThat(vectorHandshake(null).checkServerHello(vectorHello())).isEmpty();
        assertThat(vectorHandshake(serverKey).checkServerHello(vectorHello())).isEmpty();
    }

    @Test
    void refusesAServerHelloForAnotherNonce() {
        ClientHandshake otherNonce = new ClientHandshake(device, null, Base64Url.encode(new byte[32]));

        assertThat(otherNonce.checkServerHello(vectorHello())).get()
                .extracting(ClientHandshake.Refused::code).isEqualTo(HandshakeException.SERVER_NOT_VERIFIED);
    }

    @Test
    void refusesAChangedServerTime() {
        ServerFrame.ServerHello changed = vectorHello(vectors.at("/inputs/server_time").asLong() + 1,
                vectors.at("/server_hello/signature").asString());

        assertThat(vectorHandshake(null).checkServerHello(changed)).get()
                .extracting(ClientHandshake.Refused::code).isEqualTo(HandshakeException.SERVER_NOT_VERIFIED);
    }

    @Test
    void refusesAServerKeyOtherThanThePinnedOne() {
        byte[] otherKey = DeviceIdentity.newKeyPair().publicKey();

        assertThat(vectorHandshake(otherKey).checkServerHello(vectorHello())).get()
                .extracting(ClientHandshake.Refused::code).isEqualTo(HandshakeException.SERVER_KEY_MISMATCH);
    }

    @Test
    void refusesAHelloSignedByAnotherKeyThanTheOneItNames() {
        Ed25519.KeyPair impostor = DeviceIdentity.newKeyPair();
        String transcript = Transcripts.serverHello(device.userId(), device.deviceId(), in("nonce_c"),
                in("session_id"), in("nonce_s"), 1L);
        ServerFrame.ServerHello hello = vectorHello(1L, Base64Url.encode(impostor.sign(transcript)));

        assertThat(vectorHandshake(null).checkServerHello(hello)).isPresent();
    }

    @Test
    void freshKeysSignAndVerifyRoundTrip() {
        Ed25519.KeyPair server = DeviceIdentity.newKeyPair();
        String nonceC = Base64Url.encode(new byte[32]);
        String transcript = Transcripts.serverHello(device.userId(), device.deviceId(), nonceC, "s-1", "n-s", 42L);
        ServerFrame.ServerHello hello = new ServerFrame.ServerHello("s-1", "n-s", 42L,
                Base64Url.encode(server.publicKey()), Base64Url.encode(server.sign(transcript)));

        assertThat(new ClientHandshake(device, server.publicKey(), nonceC).checkServerHello(hello)).isEmpty();
    }

    @Test
    void aFreshHandshakeSaysHelloWithANewNonceOfThirtyTwoBytes() {
        ClientFrame.ClientHello first = new ClientHandshake(device, null).hello();
        ClientFrame.ClientHello second = new ClientHandshake(device, null).hello();

        assertThat(first.protocolVersion()).isEqualTo(ClientHandshake.PROTOCOL_VERSION);
        assertThat(first.userId()).isEqualTo(device.userId());
        assertThat(first.deviceId()).isEqualTo(device.deviceId());
        assertThat(Base64Url.decodeExact(first.nonceC(), 32)).isPresent();
        assertThat(first.nonceC()).isNotEqualTo(second.nonceC());
    }

    @Test
    void theStepsOfAHandshakeEndInTheSessionOfTheServerHello() {
        ClientHandshake handshake = vectorHandshake(serverKey);
        assertThat(handshake.awaiting()).isEqualTo(ServerFrame.ServerHello.class);

        assertThat(handshake.receive(vectorHello())).isEqualTo(
                new ClientHandshake.Reply(new ClientFrame.ClientAuth(vectors.at("/client_auth/signature").asString())));
        assertThat(handshake.awaiting()).isEqualTo(ServerFrame.SessionEstablished.class);

        ServerFrame.SessionEstablished established = established(in("session_id"));
        assertThat(handshake.receive(established)).isEqualTo(new ClientHandshake.Established(vectorHello(), established));
        assertThatThrownBy(() -> handshake.receive(established)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anErrorAWrongFrameOrAnotherSessionEndTheHandshake() {
        ServerFrame.Error error = new ServerFrame.Error("authentication_failed", "authentication failed");
        assertThat(vectorHandshake(null).receive(error)).isEqualTo(new ClientHandshake.ServerError(error));

        assertThat(vectorHandshake(null).receive(established(in("session_id"))))
                .isEqualTo(new ClientHandshake.Refused(HandshakeException.UNEXPECTED_FRAME,
                        "expected ServerHello, got SessionEstablished"));

        ClientHandshake handshake = vectorHandshake(null);
        handshake.receive(vectorHello());
        assertThat(handshake.receive(established("another-session"))).isEqualTo(new ClientHandshake.Refused(
                HandshakeException.UNEXPECTED_FRAME, "session_established names another session"));

        ClientHandshake refused = vectorHandshake(DeviceIdentity.newKeyPair().publicKey());
        assertThat(refused.receive(vectorHello())).isInstanceOf(ClientHandshake.Refused.class);
        assertThatThrownBy(() -> refused.receive(vectorHello())).isInstanceOf(IllegalStateException.class);
    }
}
