package dev.pocketbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;

/** A device in tests: its own Ed25519 key and a real WebSocket client doing the real handshake. */
public final class TestDevice {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration WAIT = Duration.ofSeconds(10);

    public final String userId;
    public final String deviceId;
    public final Ed25519.KeyPair key;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;
    private String nonceC;
    public ServerFrame.ServerHello serverHello;

    public TestDevice(String userId, String deviceId) {
        this.userId = userId;
        this.deviceId = deviceId;
        this.key = Ed25519.KeyPair.generate(RANDOM);
    }

    public static TestDevice random() {
        return new TestDevice(UUID.randomUUID().toString(), UUID.randomUUID().toString());
    }

    public String publicKey() {
        return Base64Url.encode(key.publicKey());
    }

    /**
     * A loopback address of its own (all of 127.0.0.0/8 reaches this host), so the gateway's
     * handshake limit per client address never counts one test's connections against another's.
     */
    public static InetAddress randomLoopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) (1 + RANDOM.nextInt(254)),
                    (byte) RANDOM.nextInt(256), (byte) (1 + RANDOM.nextInt(254))});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public TestDevice connect(int port) {
        return connect(port, randomLoopback());
    }

    /** Connects from {@code localAddress}. */
    public TestDevice connect(int port, InetAddress localAddress) {
        socket = HttpClient.newBuilder().localAddress(localAddress).build().newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + port + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            received.add(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.complete(-1);
                    }
                }).join();
        return this;
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    public void send(ClientFrame frame) {
        sendText(FrameCodec.encode(frame));
    }

    public ServerFrame.ServerHello hello() {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        nonceC = Base64Url.encode(nonce);
        send(new ClientFrame.ClientHello(1, userId, deviceId, nonceC));
        serverHello = (ServerFrame.ServerHello) next();
        return serverHello;
    }

    public String authSignature(Ed25519.KeyPair signer) {
        return Base64Url.encode(signer.sign(Transcripts.clientAuth(userId, deviceId, nonceC,
                serverHello.sessionId(), serverHello.nonceS())));
    }

    public String nonceC() {
        return nonceC;
    }

    /** The full handshake; returns the {@code session_established} frame. */
    public ServerFrame.SessionEstablished handshake(int port) {
        connect(port);
        hello();
        send(new ClientFrame.ClientAuth(authSignature(key)));
        ServerFrame frame = next();
        assertThat(frame).isInstanceOf(ServerFrame.SessionEstablished.class);
        return (ServerFrame.SessionEstablished) frame;
    }

    /** The next frame, failing the test after a generous wait. */
    public ServerFrame next() {
        String text = nextText();
        assertThat(text).as("a frame within " + WAIT).isNotNull();
        return FrameCodec.decodeServer(text);
    }

    public String nextText() {
        try {
            return received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame of the given type, skipping others (e.g. a live delivery before an answer). */
    public <T extends ServerFrame> T next(Class<T> type) {
        for (int i = 0; i < 1000; i++) {
            ServerFrame f = next();
            if (type.isInstance(f)) {
                return type.cast(f);
            }
        }
        throw new AssertionError("no " + type.getSimpleName());
    }

    /** Nothing else is received within {@code wait}. */
    public String poll(Duration wait) {
        try {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The close code the server sent. */
    public int closeCode() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(1000, "bye");
        }
    }
}
