package dev.pocketbridge.gateway.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.gateway.identity.IdentityProperties;
import dev.pocketbridge.gateway.identity.ServerIdentity;

class HandshakeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_760_000_000_000L), ZoneOffset.UTC);
    private final ServerIdentity identity = new ServerIdentity(new IdentityProperties(
            Base64Url.encode(Ed25519.KeyPair.generate(RANDOM).seed()), java.nio.file.Path.of("unused")));
    private final Handshake handshake = new Handshake(identity, clock);
    private final Ed25519.KeyPair device = Ed25519.KeyPair.generate(RANDOM);
    private final String userId = UUID.randomUUID().toString();
    private final String deviceId = UUID.randomUUID().toString();
    private final String nonceC = Base64Url.encode(new byte[32]);

    @Test
    void aWellFormedHelloGetsAServerHelloSignedOverTheTranscriptAtTheClocksTime() {
        var accepted = accept();
        var reply = accepted.reply();
        assertThat(reply.serverTime()).isEqualTo(clock.millis());
        assertThat(reply.serverIdentityPub()).isEqualTo(identity.publicKey());
        String transcript = Transcripts.serverHello(userId, deviceId, nonceC, reply.sessionId(), reply.nonceS(),
                reply.serverTime());
        assertThat(Ed25519.verify(Base64Url.decode(identity.publicKey()).orElseThrow(), transcript,
                Base64Url.decode(reply.serverSignature()).orElseThrow())).isTrue();
        assertThat(accept().reply().nonceS()).isNotEqualTo(reply.nonceS());
    }

    @Test
    void helloRefusals() {
        assertThat(refusal(new ClientFrame.ClientHello(2, userId, deviceId, nonceC)))
                .isEqualTo(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(refusal(new ClientFrame.ClientHello(null, userId, deviceId, nonceC)))
                .isEqualTo(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(refusal(new ClientFrame.ClientHello(1, userId.toUpperCase(), deviceId, nonceC)))
                .isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThat(refusal(new ClientFrame.ClientHello(1, userId, "nope", nonceC)))
                .isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThat(refusal(new ClientFrame.ClientHello(1, userId, deviceId, Base64Url.encode(new byte[31]))))
                .isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThat(refusal(new ClientFrame.ClientHello(1, userId, deviceId, nonceC + "=")))
                .isEqualTo(ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void onlyTheActiveDevicesOwnSignatureOverThisHandshakeAuthenticates() {
        var accepted = accept();
        DeviceCredentials creds = new DeviceCredentials(deviceId, userId, Base64Url.encode(device.publicKey()), true);
        ClientFrame.ClientAuth good = auth(device, accepted);
        assertThat(handshake.authenticate(accepted, creds, good)).isTrue();

        assertThat(handshake.authenticate(accepted, creds, auth(Ed25519.KeyPair.generate(RANDOM), accepted))).isFalse();
        assertThat(handshake.authenticate(accepted, null, good)).isFalse();
        assertThat(handshake.authenticate(accepted,
                new DeviceCredentials(deviceId, userId, creds.publicKey(), false), good)).isFalse();
        assertThat(handshake.authenticate(accepted,
                new DeviceCredentials(deviceId, UUID.randomUUID().toString(), creds.publicKey(), true), good)).isFalse();
        assertThat(handshake.authenticate(accepted, creds, new ClientFrame.ClientAuth("garbage"))).isFalse();
        // A signature from another handshake (another session id and nonce) does not replay.
        assertThat(handshake.authenticate(accept(), creds, good)).isFalse();
    }

    private Handshake.HelloOutcome.Accepted accept() {
        return (Handshake.HelloOutcome.Accepted) handshake.hello(new ClientFrame.ClientHello(1, userId, deviceId, nonceC));
    }

    private ErrorCode refusal(ClientFrame.ClientHello hello) {
        return ((Handshake.HelloOutcome.Refused) handshake.hello(hello)).code();
    }

    private ClientFrame.ClientAuth auth(Ed25519.KeyPair key, Handshake.HelloOutcome.Accepted accepted) {
        return new ClientFrame.ClientAuth(Base64Url.encode(key.sign(Transcripts.clientAuth(userId, deviceId, nonceC,
                accepted.reply().sessionId(), accepted.reply().nonceS()))));
    }
}
