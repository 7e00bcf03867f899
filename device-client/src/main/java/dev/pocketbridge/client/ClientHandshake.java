package dev.pocketbridge.client;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * The device's side of the §3.1 handshake as frames, checks and signatures, without any I/O (a
 * {@link DeviceSession} sends and receives the frames): {@code client_hello} with a fresh 32-byte
 * {@code nonce_c}; {@code server_hello} must be signed over {@link Transcripts#serverHello} by its
 * {@code server_identity_pub}, which must be the pinned server key when one is given;
 * {@code client_auth} signs {@link Transcripts#clientAuth} with the device key; and
 * {@code session_established} must name the session of {@code server_hello}. An {@code error}
 * from the server, or a frame other than the one awaited, ends the handshake.
 *
 * <pre>{@code
 * ClientHandshake handshake = new ClientHandshake(identity, pinnedServerKeyOrNull);
 * send(handshake.hello());
 * while (true) {
 *     switch (handshake.receive(nextServerFrame())) {
 *         case ClientHandshake.Reply(ClientFrame reply) -> send(reply);           // client_auth
 *         case ClientHandshake.Established e -> { return e; }
 *         case ClientHandshake.Refused r -> { close(1008, r.code()); throw ...; }  // the client refuses the server
 *         case ClientHandshake.ServerError(ServerFrame.Error error) -> throw ...;  // the server closes
 *     }
 * }
 * }</pre>
 */
public final class ClientHandshake {

    public static final int PROTOCOL_VERSION = 1;
    private static final int NONCE_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the client does after a frame of the server ({@link #receive}). */
    public sealed interface Step permits Reply, Established, Refused, ServerError {
    }

    /** Send {@code frame} ({@code client_auth}) and wait for the next frame. */
    public record Reply(ClientFrame frame) implements Step {
    }

    /** The handshake is done: the verified {@code server_hello} and the {@code session_established} that followed. */
    public record Established(ServerFrame.ServerHello hello, ServerFrame.SessionEstablished session) implements Step {
    }

    /** The client refuses the server (close with 1008): a client code of {@link HandshakeException} and what was wrong. */
    public record Refused(String code, String message) implements Step {
    }

    /** The server refused the client with an {@code error} frame; it closes the connection. */
    public record ServerError(ServerFrame.Error error) implements Step {
    }

    private final DeviceIdentity identity;
    private final byte[] pinnedServerKey;
    private final String nonceC;
    /** The verified {@code server_hello}, once received. */
    private ServerFrame.ServerHello serverHello;
    private boolean done;

    /**
     * A handshake with a fresh {@code nonce_c}.
     *
     * @param pinnedServerKey the 32-byte server identity key to require, or null to accept the key
     *                        {@code server_hello} names (its signature is checked either way)
     */
    public ClientHandshake(DeviceIdentity identity, byte[] pinnedServerKey) {
        this(identity, pinnedServerKey, freshNonce());
    }

    /** A handshake with a given {@code nonce_c} (the protocol vectors, or a test's own). */
    public ClientHandshake(DeviceIdentity identity, byte[] pinnedServerKey, String nonceC) {
        this.identity = identity;
        this.pinnedServerKey = pinnedServerKey == null ? null : pinnedServerKey.clone();
        this.nonceC = nonceC;
    }

    private static String freshNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return Base64Url.encode(nonce);
    }

    public DeviceIdentity identity() {
        return identity;
    }

    public String nonceC() {
        return nonceC;
    }

    /** The first frame. */
    public ClientFrame.ClientHello hello() {
        return new ClientFrame.ClientHello(PROTOCOL_VERSION, identity.userId(), identity.deviceId(), nonceC);
    }

    /** The frame the handshake waits for now. */
    public Class<? extends ServerFrame> awaiting() {
        return serverHello == null ? ServerFrame.ServerHello.class : ServerFrame.SessionEstablished.class;
    }

    /**
     * The next step after {@code frame}: after a valid {@code server_hello}, the {@code client_auth}
     * to send; after the {@code session_established} of that session, done.
     *
     * @throws IllegalStateException when the handshake ended already
     */
    public Step receive(ServerFrame frame) {
        if (done) {
            throw new IllegalStateException("the handshake has ended");
        }
        Step step = next(frame);
        done = !(step instanceof Reply);
        return step;
    }

    private Step next(ServerFrame frame) {
        if (frame instanceof ServerFrame.Error error) {
            return new ServerError(error);
        }
        if (!awaiting().isInstance(frame)) {
            return new Refused(HandshakeException.UNEXPECTED_FRAME,
                    "expected " + awaiting().getSimpleName() + ", got " + frame.getClass().getSimpleName());
        }
        if (frame instanceof ServerFrame.ServerHello hello) {
            Optional<Refused> refused = checkServerHello(hello);
            if (refused.isPresent()) {
                return refused.get();
            }
            serverHello = hello;
            return new Reply(clientAuth(hello));
        }
        ServerFrame.SessionEstablished established = (ServerFrame.SessionEstablished) frame;
        return checkEstablished(serverHello, established)
                .<Step>map(refused -> refused)
                .orElseGet(() -> new Established(serverHello, established));
    }

    /**
     * Empty when {@code hello} is signed by its {@code server_identity_pub} over
     * {@link Transcripts#serverHello} for this device and {@code nonce_c}, and that key is the pinned
     * one (when there is one); else why not.
     */
    public Optional<Refused> checkServerHello(ServerFrame.ServerHello hello) {
        byte[] serverKey = Base64Url.decodeExact(hello.serverIdentityPub(), Ed25519.PUBLIC_KEY_BYTES).orElse(null);
        if (serverKey == null) {
            return refuse(HandshakeException.SERVER_NOT_VERIFIED, "server_identity_pub is not a 32-byte key");
        }
        if (pinnedServerKey != null && !MessageDigest.isEqual(serverKey, pinnedServerKey)) {
            return refuse(HandshakeException.SERVER_KEY_MISMATCH, "server_identity_pub is not the pinned key");
        }
        String transcript;
        try {
            transcript = Transcripts.serverHello(identity.userId(), identity.deviceId(), nonceC, hello.sessionId(),
                    hello.nonceS(), hello.serverTime());
        } catch (IllegalArgumentException e) {
            return refuse(HandshakeException.SERVER_NOT_VERIFIED, "server_hello lacks a field");
        }
        byte[] signature = Base64Url.decodeExact(hello.serverSignature(), Ed25519.SIGNATURE_BYTES).orElse(null);
        if (!Ed25519.verify(serverKey, transcript, signature)) {
            return refuse(HandshakeException.SERVER_NOT_VERIFIED, "server_signature does not verify");
        }
        return Optional.empty();
    }

    /** The answer to {@code hello}: the device key's signature over {@link Transcripts#clientAuth}. */
    public ClientFrame.ClientAuth clientAuth(ServerFrame.ServerHello hello) {
        return new ClientFrame.ClientAuth(identity.sign(Transcripts.clientAuth(identity.userId(), identity.deviceId(),
                nonceC, hello.sessionId(), hello.nonceS())));
    }

    /** Empty when {@code established} is for the session {@code hello} opened; else why not. */
    public Optional<Refused> checkEstablished(ServerFrame.ServerHello hello,
            ServerFrame.SessionEstablished established) {
        return hello.sessionId().equals(established.sessionId())
                ? Optional.empty()
                : refuse(HandshakeException.UNEXPECTED_FRAME, "session_established names another session");
    }

    private static Optional<Refused> refuse(String code, String message) {
        return Optional.of(new Refused(code, message));
    }
}
