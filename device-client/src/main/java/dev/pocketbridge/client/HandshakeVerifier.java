package dev.pocketbridge.client;

import java.security.MessageDigest;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.protocol.ServerFrame;

/** The client's checks and signature of the §3.1 handshake, apart from the socket so they can be tested alone. */
final class HandshakeVerifier {

    /** Why the client refuses a {@code server_hello}. */
    record Rejection(String code, String message) {
    }

    private HandshakeVerifier() {
    }

    /**
     * Null when {@code hello} is signed by its {@code server_identity_pub} over
     * {@link Transcripts#serverHello} for this device and {@code nonceC}, and that key is the
     * pinned one (when {@code pinnedServerKey} is not null); else why not.
     */
    static Rejection checkServerHello(DeviceIdentity identity, String nonceC, ServerFrame.ServerHello hello,
            byte[] pinnedServerKey) {
        byte[] serverKey = Base64Url.decodeExact(hello.serverIdentityPub(), Ed25519.PUBLIC_KEY_BYTES).orElse(null);
        if (serverKey == null) {
            return new Rejection(HandshakeException.SERVER_NOT_VERIFIED, "server_identity_pub is not a 32-byte key");
        }
        if (pinnedServerKey != null && !MessageDigest.isEqual(serverKey, pinnedServerKey)) {
            return new Rejection(HandshakeException.SERVER_KEY_MISMATCH, "server_identity_pub is not the pinned key");
        }
        String transcript;
        try {
            transcript = Transcripts.serverHello(identity.userId(), identity.deviceId(), nonceC, hello.sessionId(),
                    hello.nonceS(), hello.serverTime());
        } catch (IllegalArgumentException e) {
            return new Rejection(HandshakeException.SERVER_NOT_VERIFIED, "server_hello lacks a field");
        }
        byte[] signature = Base64Url.decodeExact(hello.serverSignature(), Ed25519.SIGNATURE_BYTES).orElse(null);
        if (!Ed25519.verify(serverKey, transcript, signature)) {
            return new Rejection(HandshakeException.SERVER_NOT_VERIFIED, "server_signature does not verify");
        }
        return null;
    }

    /** The {@code client_auth} signature: the device key over {@link Transcripts#clientAuth}. */
    static String clientAuthSignature(DeviceIdentity identity, String nonceC, ServerFrame.ServerHello hello) {
        return identity.sign(Transcripts.clientAuth(identity.userId(), identity.deviceId(), nonceC, hello.sessionId(),
                hello.nonceS()));
    }
}
