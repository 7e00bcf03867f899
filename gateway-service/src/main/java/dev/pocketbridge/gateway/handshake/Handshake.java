package dev.pocketbridge.gateway.handshake;

import java.security.SecureRandom;
import java.time.Clock;

import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.identity.ServerIdentity;

/**
 * The two decisions of the handshake (PROTOCOL §3.1) without any I/O: whether a
 * {@code client_hello} is well formed (and the signed {@code server_hello} answering it), and
 * whether a {@code client_auth} proves possession of the device key. Every reason to refuse the
 * authentication is the same {@code false}, so the server is no oracle for which devices exist.
 */
@Component
public class Handshake {

    public static final int PROTOCOL_VERSION = 1;
    public static final int NONCE_BYTES = 32;

    private final ServerIdentity identity;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Handshake(ServerIdentity identity, Clock clock) {
        this.identity = identity;
        this.clock = clock;
    }

    /** The outcome of a {@code client_hello}. */
    public sealed interface HelloOutcome {

        /** Answer with {@code reply}; the session continues with {@code AWAIT_AUTH}. */
        record Accepted(ClientFrame.ClientHello hello, ServerFrame.ServerHello reply) implements HelloOutcome {
        }

        /** Answer {@code error code} and close 1008. */
        record Refused(ErrorCode code, String message) implements HelloOutcome {
        }
    }

    public HelloOutcome hello(ClientFrame.ClientHello hello) {
        if (hello.protocolVersion() == null || hello.protocolVersion() != PROTOCOL_VERSION) {
            return new HelloOutcome.Refused(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "protocol_version must be " + PROTOCOL_VERSION);
        }
        if (!Uuids.isCanonical(hello.userId()) || !Uuids.isCanonical(hello.deviceId())) {
            return new HelloOutcome.Refused(ErrorCode.PROTOCOL_ERROR,
                    "user_id and device_id must be lowercase canonical UUIDs");
        }
        if (Base64Url.decodeExact(hello.nonceC(), NONCE_BYTES).isEmpty()) {
            return new HelloOutcome.Refused(ErrorCode.PROTOCOL_ERROR,
                    "nonce_c must be " + NONCE_BYTES + " bytes as base64url without padding");
        }
        String sessionId = Uuids.v7(clock).toString();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String nonceS = Base64Url.encode(nonce);
        long serverTime = clock.millis();
        String signature = identity.sign(Transcripts.serverHello(hello.userId(), hello.deviceId(), hello.nonceC(),
                sessionId, nonceS, serverTime));
        return new HelloOutcome.Accepted(hello,
                new ServerFrame.ServerHello(sessionId, nonceS, serverTime, identity.publicKey(), signature));
    }

    /**
     * True only when the device exists, is active, belongs to the user named in the hello, and
     * {@code auth} is its signature over the {@code client_auth} transcript of this handshake.
     */
    public boolean authenticate(HelloOutcome.Accepted accepted, DeviceCredentials device,
            ClientFrame.ClientAuth auth) {
        ClientFrame.ClientHello hello = accepted.hello();
        if (device == null || !device.active() || !hello.userId().equals(device.userId())
                || !hello.deviceId().equals(device.deviceId()) || auth.signature() == null) {
            return false;
        }
        byte[] publicKey = Base64Url.decodeExact(device.publicKey(), Ed25519.PUBLIC_KEY_BYTES).orElse(null);
        byte[] signature = Base64Url.decodeExact(auth.signature(), Ed25519.SIGNATURE_BYTES).orElse(null);
        if (publicKey == null || signature == null) {
            return false;
        }
        String transcript = Transcripts.clientAuth(hello.userId(), hello.deviceId(), hello.nonceC(),
                accepted.reply().sessionId(), accepted.reply().nonceS());
        return Ed25519.verify(publicKey, transcript, signature);
    }
}
