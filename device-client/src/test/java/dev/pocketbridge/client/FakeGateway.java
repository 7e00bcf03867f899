package dev.pocketbridge.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Cbor;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.protocol.ServerFrame;
import tools.jackson.databind.JsonNode;

/**
 * A just-enough RFC 6455 server playing the gateway's side of PROTOCOL.md §3 for one connection at
 * a time, so that {@link DeviceSession} is exercised through the real JDK WebSocket. It sends
 * {@code server_hello} in two fragments to exercise reassembly. Public for the CLI's tests.
 */
public final class FakeGateway implements AutoCloseable {

    static final String SESSION_ID = "0190f5a2-8000-7000-8000-00000000c0de";

    final Ed25519.KeyPair serverKey = DeviceIdentity.newKeyPair();
    public final List<JsonNode> received = new CopyOnWriteArrayList<>();
    /** Completes with the payload of the first pong the client sends (the server pings after the handshake). */
    final CompletableFuture<String> pong = new CompletableFuture<>();
    /** How many replays (still to come) lose their connection when their second page is asked for. */
    public final AtomicInteger dropsDuringReplay = new AtomicInteger();
    /** How many replays (still to come) get no answer to their second page, the connection left open. */
    public final AtomicInteger silencesDuringReplay = new AtomicInteger();
    /** Whether replays asked for in CBOR are answered in JSON all the same, as a server before that encoding does. */
    public volatile boolean replaysInJsonOnly;
    /** An {@code ack} of this {@code seq} is answered with a normal close (1000); 0: none is. */
    public volatile long closeNormallyOnAck;
    private final ServerSocket socket;
    private final byte[] devicePublicKey;
    private final Thread thread;

    public FakeGateway(byte[] devicePublicKey) throws IOException {
        this.devicePublicKey = devicePublicKey;
        this.socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        this.thread = Thread.ofVirtual().start(this::serve);
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + socket.getLocalPort() + "/ws");
    }

    @Override
    public void close() throws IOException {
        socket.close();
        thread.interrupt();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                converse(new DataInputStream(connection.getInputStream()), connection.getOutputStream());
            } catch (IOException e) {
                // the test closed the socket, or the client went away: next connection
            }
        }
    }

    private void converse(DataInputStream in, OutputStream out) throws IOException {
        upgrade(in, out);
        String nonceC = null;
        String nonceS = Base64Url.encode(new byte[32]);
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = in.readNBytes(4);
            byte[] payload = in.readNBytes((int) length);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            int opcode = b0 & 0x0F;
            if (opcode == 0x8) {
                write(out, 0x88, payload); // echo the close
                return;
            }
            if (opcode == 0xA) {
                pong.complete(new String(payload, StandardCharsets.UTF_8));
                continue;
            }
            if (opcode != 0x1) {
                continue;
            }
            JsonNode frame = Json.mapper().readTree(new String(payload, StandardCharsets.UTF_8));
            received.add(frame);
            switch (frame.get("type").asString()) {
                case "client_hello" -> {
                    nonceC = frame.get("nonce_c").asString();
                    long time = 1767225600000L;
                    String transcript = Transcripts.serverHello(frame.get("user_id").asString(),
                            frame.get("device_id").asString(), nonceC, SESSION_ID, nonceS, time);
                    String hello = encode(new ServerFrame.ServerHello(SESSION_ID, nonceS, time,
                            Base64Url.encode(serverKey.publicKey()), Base64Url.encode(serverKey.sign(transcript))));
                    byte[] bytes = hello.getBytes(StandardCharsets.UTF_8);
                    int half = bytes.length / 2;
                    write(out, 0x01, java.util.Arrays.copyOfRange(bytes, 0, half)); // text, not final
                    write(out, 0x80, java.util.Arrays.copyOfRange(bytes, half, bytes.length)); // continuation, final
                }
                case "client_auth" -> {
                    String transcript = Transcripts.clientAuth(received.get(0).get("user_id").asString(),
                            received.get(0).get("device_id").asString(), nonceC, SESSION_ID, nonceS);
                    byte[] signature = Base64Url.decode(frame.get("signature").asString()).orElse(null);
                    if (!Ed25519.verify(devicePublicKey, transcript, signature)) {
                        text(out, encode(new ServerFrame.Error("authentication_failed", "authentication failed")));
                        write(out, 0x88, new byte[] {(byte) (1008 >> 8), (byte) (1008 & 0xFF)});
                        return;
                    }
                    text(out, encode(new ServerFrame.SessionEstablished(SESSION_ID, 5, 0, 3, 1, 0L, 10_485_760)));
                    write(out, 0x89, "heartbeat".getBytes(StandardCharsets.UTF_8)); // §3.5: the server pings
                }
                case "event" -> {
                    // a live delivery first, so the ack has to be picked from behind it
                    text(out, encode(delivered(9)));
                    text(out, encode(new ServerFrame.EventAck(frame.get("event_id").asString(),
                            frame.get("device_seq").asLong(), 10, 1, "stored", false)));
                }
                case "replay_request" -> {
                    String requestId = frame.get("request_id").asString();
                    boolean first = !frame.has("continuation_token");
                    if (!first && dropsDuringReplay.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return; // the connection breaks: the client sees 1006
                    }
                    if (!first && silencesDuringReplay.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        continue; // no answer, and no close either
                    }
                    ServerFrame.ReplayResponse page = first
                            ? new ServerFrame.ReplayResponse(requestId, List.of(delivered(1), delivered(2)), true,
                                    "page-2", 2, 1, false)
                            : new ServerFrame.ReplayResponse(requestId, List.of(delivered(3)), false, null, 3, 1,
                                    false);
                    if (frame.has("encoding") && frame.get("encoding").asString().equals("cbor") && !replaysInJsonOnly) {
                        byte[] cbor = Cbor.mapper().writerFor(ServerFrame.class).writeValueAsBytes(page);
                        int half = cbor.length / 2;
                        write(out, 0x02, java.util.Arrays.copyOfRange(cbor, 0, half)); // binary, not final
                        write(out, 0x80, java.util.Arrays.copyOfRange(cbor, half, cbor.length)); // continuation, final
                    } else {
                        text(out, encode(page));
                    }
                }
                case "ack" -> {
                    long seq = frame.get("seq").asLong();
                    if (seq == closeNormallyOnAck) {
                        write(out, 0x88, new byte[] {(byte) (1000 >> 8), (byte) (1000 & 0xFF)});
                    }
                    if (seq >= 4000) { // test hook: an ack of 4xxx makes the server close with that code
                        byte[] reason = "revoked".getBytes(StandardCharsets.UTF_8);
                        byte[] close = new byte[2 + reason.length];
                        close[0] = (byte) (seq >> 8);
                        close[1] = (byte) (seq & 0xFF);
                        System.arraycopy(reason, 0, close, 2, reason.length);
                        write(out, 0x88, close);
                    }
                }
                default -> {
                    // nothing else needs an answer
                }
            }
        }
    }

    static ServerFrame.DeliveredEvent delivered(long seq) {
        return new ServerFrame.DeliveredEvent(seq, "event-" + seq, "other-device", seq, "s", seq, "t", "AAAA", null,
                1L, false);
    }

    private static String encode(ServerFrame frame) {
        return dev.pocketbridge.common.protocol.FrameCodec.encode(frame);
    }

    private static void upgrade(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        while (!header.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during upgrade");
            }
            header.write(b);
        }
        String key = header.toString(StandardCharsets.ISO_8859_1).lines()
                .filter(line -> line.toLowerCase().startsWith("sec-websocket-key:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElseThrow();
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void text(OutputStream out, String text) throws IOException {
        write(out, 0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One unmasked frame; {@code head} is FIN and opcode. */
    private static void write(OutputStream out, int head, byte[] payload) throws IOException {
        out.write(head);
        if (payload.length < 126) {
            out.write(payload.length);
        } else {
            out.write(126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        }
        out.write(payload);
        out.flush();
    }
}
