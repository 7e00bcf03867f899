package dev.pocketbridge.gateway.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.ClientHandshake;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.gateway.StubServices;

/** The §3.1 handshake step by step, with device-client's {@link ClientHandshake} over a raw {@link DeviceSession}. */
class HandshakeIntegrationTest extends GatewayIntegrationTest {

    @Test
    void aRegisteredDeviceGetsASignedServerHelloAndSessionEstablishedWithItsPosition() {
        DeviceIdentity device = registeredDevice();
        DeviceSession session = open();
        ClientHandshake handshake = new ClientHandshake(device, null);
        ServerFrame.ServerHello hello = hello(session, handshake);

        String transcript = Transcripts.serverHello(device.userId(), device.deviceId(), handshake.nonceC(),
                hello.sessionId(), hello.nonceS(), hello.serverTime());
        byte[] serverKey = Base64Url.decode(hello.serverIdentityPub()).orElseThrow();
        assertThat(Ed25519.verify(serverKey, transcript.getBytes(StandardCharsets.UTF_8),
                Base64Url.decode(hello.serverSignature()).orElseThrow())).isTrue();
        assertThat(hello.sessionId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(Base64Url.decodeExact(hello.nonceS(), 32)).isPresent();

        session.sendFrame(handshake.clientAuth(hello));
        ServerFrame.SessionEstablished established = (ServerFrame.SessionEstablished) next(session);
        var expected = StubServices.positionOf(device.deviceId());
        assertThat(established.sessionId()).isEqualTo(hello.sessionId());
        assertThat(established.lastDeviceSeq()).isEqualTo(expected.lastDeviceSeq());
        assertThat(established.lastAckedSeq()).isEqualTo(expected.lastAckedSeq());
        assertThat(established.headSeq()).isEqualTo(expected.headSeq());
        assertThat(established.oldestAvailableSeq()).isEqualTo(expected.oldestAvailableSeq());
        assertThat(established.maxFrameBytes()).isEqualTo(MAX_FRAME_BYTES);
        assertThat(established.expiresAt()).isGreaterThan(hello.serverTime() + Duration.ofHours(23).toMillis());
    }

    @Test
    void aWrongSignatureFailsAuthenticationAndCloses1008() {
        DeviceIdentity device = registeredDevice();
        DeviceSession session = open();
        ClientHandshake handshake = new ClientHandshake(device, null);
        ServerFrame.ServerHello hello = hello(session, handshake);
        // The same ids and nonce, signed with another key.
        DeviceIdentity otherKey = newDevice(device.userId(), device.deviceId());
        session.sendFrame(new ClientHandshake(otherKey, null, handshake.nonceC()).clientAuth(hello));
        assertAuthenticationFailed(session);
    }

    @Test
    void anUnknownDeviceStillGetsServerHelloThenFailsAuthentication() {
        DeviceSession session = open();
        ClientHandshake handshake = new ClientHandshake(newDevice(), null);
        ServerFrame.ServerHello hello = hello(session, handshake);
        assertThat(hello.serverSignature()).isNotBlank();
        session.sendFrame(handshake.clientAuth(hello));
        assertAuthenticationFailed(session);
    }

    @Test
    void aDeviceOfAnotherUserFailsAuthentication() {
        DeviceIdentity real = registeredDevice();
        // Same device id and key, but claimed for a different user.
        DeviceIdentity impostor = newDevice(UUID.randomUUID().toString(), real.deviceId());
        devices().put(real.deviceId(), new DeviceCredentials(real.deviceId(), real.userId(),
                impostor.publicKeyBase64(), true));
        DeviceSession session = open();
        authenticate(session, new ClientHandshake(impostor, null));
        assertAuthenticationFailed(session);
    }

    @Test
    void aRevokedDeviceFailsAuthentication() {
        DeviceIdentity device = registeredDevice();
        devices().put(device.deviceId(),
                new DeviceCredentials(device.deviceId(), device.userId(), device.publicKeyBase64(), false));
        DeviceSession session = open();
        authenticate(session, new ClientHandshake(device, null));
        assertAuthenticationFailed(session);
    }

    @Test
    void aDeviceServiceFailureIsUnavailableAndCloses1013() {
        DeviceIdentity device = registeredDevice();
        STUB.failingDevices.add(device.deviceId());
        DeviceSession session = open();
        authenticate(session, new ClientHandshake(device, null));
        assertError(session, "unavailable", CloseCodes.TRY_AGAIN_LATER);
    }

    @Test
    void aSecondClientHelloIsAProtocolErrorAndCloses1008() {
        DeviceSession session = open();
        ClientHandshake handshake = new ClientHandshake(registeredDevice(), null);
        hello(session, handshake);
        session.sendFrame(handshake.hello());
        assertError(session, "protocol_error", CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void aFrameOtherThanClientHelloFirstIsAProtocolError() {
        DeviceSession session = open();
        session.sendFrame(new ClientFrame.Ack(1L));
        assertError(session, "protocol_error", CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void unparseableFrameBeforeEstablishmentIsAProtocolError() {
        DeviceSession session = open();
        session.sendText("{not json");
        assertError(session, "protocol_error", CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void anUnsupportedProtocolVersionIsRefused() {
        DeviceIdentity device = newDevice();
        DeviceSession session = open();
        session.sendFrame(new ClientFrame.ClientHello(2, device.userId(), device.deviceId(),
                Base64Url.encode(new byte[32])));
        assertError(session, "unsupported_protocol_version", CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void aShortNonceIsAProtocolError() {
        DeviceIdentity device = newDevice();
        DeviceSession session = open();
        session.sendFrame(new ClientFrame.ClientHello(1, device.userId(), device.deviceId(),
                Base64Url.encode(new byte[16])));
        assertError(session, "protocol_error", CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void aHandshakeThatDoesNotCompleteInTimeCloses4008() {
        DeviceSession session = open();
        hello(session, new ClientHandshake(registeredDevice(), null));
        assertError(session, "handshake_timeout", CloseCodes.HANDSHAKE_TIMEOUT);
    }

    @Test
    void aNewSessionOfTheSameDeviceClosesTheOlderWith4409() {
        DeviceIdentity device = registeredDevice();
        DeviceSession first = establish(device);
        DeviceSession second = establish(device);
        assertThat(closeCode(first)).isEqualTo(CloseCodes.SUPERSEDED);
        assertThat(second.isClosed()).isFalse();
    }

    /** Sends {@code client_hello} and returns the {@code server_hello} that answers it. */
    private static ServerFrame.ServerHello hello(DeviceSession session, ClientHandshake handshake) {
        session.sendFrame(handshake.hello());
        return next(session, ServerFrame.ServerHello.class);
    }

    /** {@code client_hello}, then {@code client_auth} signed with the handshake's device key. */
    private static void authenticate(DeviceSession session, ClientHandshake handshake) {
        session.sendFrame(handshake.clientAuth(hello(session, handshake)));
    }

    private static void assertAuthenticationFailed(DeviceSession session) {
        assertError(session, "authentication_failed", CloseCodes.POLICY_VIOLATION);
    }

    private static void assertError(DeviceSession session, String code, int closeCode) {
        ServerFrame frame = next(session);
        assertThat(frame).isInstanceOf(ServerFrame.Error.class);
        assertThat(((ServerFrame.Error) frame).code()).isEqualTo(code);
        assertThat(closeCode(session)).isEqualTo(closeCode);
    }
}
