package dev.pocketbridge.gateway.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.gateway.StubServices;
import dev.pocketbridge.gateway.TestDevice;

class HandshakeIntegrationTest extends GatewayIntegrationTest {

    @Test
    void aRegisteredDeviceGetsASignedServerHelloAndSessionEstablishedWithItsPosition() {
        TestDevice device = registeredDevice();
        device.connect(port);
        ServerFrame.ServerHello hello = device.hello();

        String transcript = Transcripts.serverHello(device.userId, device.deviceId, device.nonceC(),
                hello.sessionId(), hello.nonceS(), hello.serverTime());
        byte[] serverKey = Base64Url.decode(hello.serverIdentityPub()).orElseThrow();
        assertThat(Ed25519.verify(serverKey, transcript.getBytes(StandardCharsets.UTF_8),
                Base64Url.decode(hello.serverSignature()).orElseThrow())).isTrue();
        assertThat(hello.sessionId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(Base64Url.decodeExact(hello.nonceS(), 32)).isPresent();

        device.send(new ClientFrame.ClientAuth(device.authSignature(device.key)));
        ServerFrame.SessionEstablished established = (ServerFrame.SessionEstablished) device.next();
        var expected = StubServices.positionOf(device.deviceId);
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
        TestDevice device = registeredDevice();
        device.connect(port);
        device.hello();
        device.send(new ClientFrame.ClientAuth(device.authSignature(Ed25519.KeyPair.generate(new java.security.SecureRandom()))));
        assertAuthenticationFailed(device);
    }

    @Test
    void anUnknownDeviceStillGetsServerHelloThenFailsAuthentication() {
        TestDevice device = track(TestDevice.random());
        device.connect(port);
        assertThat(device.hello().serverSignature()).isNotBlank();
        device.send(new ClientFrame.ClientAuth(device.authSignature(device.key)));
        assertAuthenticationFailed(device);
    }

    @Test
    void aDeviceOfAnotherUserFailsAuthentication() {
        TestDevice real = registeredDevice();
        // Same device id and key, but claimed for a different user.
        TestDevice impostor = track(new TestDevice(UUID.randomUUID().toString(), real.deviceId));
        devices().put(real.deviceId, new DeviceCredentials(real.deviceId, real.userId,
                Base64Url.encode(impostor.key.publicKey()), true));
        impostor.connect(port);
        impostor.hello();
        impostor.send(new ClientFrame.ClientAuth(impostor.authSignature(impostor.key)));
        assertAuthenticationFailed(impostor);
    }

    @Test
    void aRevokedDeviceFailsAuthentication() {
        TestDevice device = registeredDevice();
        devices().put(device.deviceId, new DeviceCredentials(device.deviceId, device.userId, device.publicKey(), false));
        device.connect(port);
        device.hello();
        device.send(new ClientFrame.ClientAuth(device.authSignature(device.key)));
        assertAuthenticationFailed(device);
    }

    @Test
    void aDeviceServiceFailureIsUnavailableAndCloses1013() {
        TestDevice device = registeredDevice();
        STUB.failingDevices.add(device.deviceId);
        device.connect(port);
        device.hello();
        device.send(new ClientFrame.ClientAuth(device.authSignature(device.key)));
        assertError(device, "unavailable", CloseCodes.TRY_AGAIN_LATER);
    }

    @Test
    void aSecondClientHelloIsAProtocolErrorAndCloses1008() {
        TestDevice device = registeredDevice();
        device.connect(port);
        device.hello();
        device.send(new ClientFrame.ClientHello(1, device.userId, device.deviceId, device.nonceC()));
        assertError(device, "protocol_error", CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void aFrameOtherThanClientHelloFirstIsAProtocolError() {
        TestDevice device = track(TestDevice.random());
        device.connect(port);
        device.send(new ClientFrame.Ack(1L));
        assertError(device, "protocol_error", CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void unparseableFrameBeforeEstablishmentIsAProtocolError() {
        TestDevice device = track(TestDevice.random());
        device.connect(port);
        device.sendText("{not json");
        assertError(device, "protocol_error", CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void anUnsupportedProtocolVersionIsRefused() {
        TestDevice device = track(TestDevice.random());
        device.connect(port);
        device.send(new ClientFrame.ClientHello(2, device.userId, device.deviceId,
                Base64Url.encode(new byte[32])));
        assertError(device, "unsupported_protocol_version", CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void aShortNonceIsAProtocolError() {
        TestDevice device = track(TestDevice.random());
        device.connect(port);
        device.send(new ClientFrame.ClientHello(1, device.userId, device.deviceId, Base64Url.encode(new byte[16])));
        assertError(device, "protocol_error", CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void aHandshakeThatDoesNotCompleteInTimeCloses4008() {
        TestDevice device = registeredDevice();
        device.connect(port);
        device.hello();
        assertError(device, "handshake_timeout", CloseCodes.HANDSHAKE_TIMEOUT);
    }

    @Test
    void aNewSessionOfTheSameDeviceClosesTheOlderWith4409() {
        TestDevice first = registeredDevice();
        first.handshake(port);
        TestDevice second = track(new TestDevice(first.userId, first.deviceId));
        devices().put(first.deviceId, new DeviceCredentials(first.deviceId, first.userId, second.publicKey(), true));
        second.handshake(port);
        assertThat(first.closeCode()).isEqualTo(CloseCodes.SUPERSEDED);
        assertThat(second.isClosed()).isFalse();
    }

    private static void assertAuthenticationFailed(TestDevice device) {
        assertError(device, "authentication_failed", CloseCodes.POLICY_VIOLATION);
    }

    private static void assertError(TestDevice device, String code, int closeCode) {
        ServerFrame frame = device.next();
        assertThat(frame).isInstanceOf(ServerFrame.Error.class);
        assertThat(((ServerFrame.Error) frame).code()).isEqualTo(code);
        assertThat(device.closeCode()).isEqualTo(closeCode);
    }
}
