package dev.pocketbridge.gateway;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.pocketbridge.client.ClientHandshake;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * A WebSocket client on a plain socket, for what a well-behaved client library will not do:
 * send a frame header without its payload, a single frame of any size, fragments of our
 * choosing, or never read what the server sends.
 */
public final class RawWebSocket implements Closeable {

    public static final int OPCODE_CONTINUATION = 0x0;
    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PONG = 0xA;
    /** What {@link #awaitCloseCode} returns when the connection ended without a close frame (WebSocket's 1006). */
    public static final int NO_CLOSE_FRAME = 1006;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("raw-websocket-heartbeat").factory());

    /** A frame from the server. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Opens {@code /ws} from {@code localAddress}. A non-zero {@code receiveBuffer} shrinks the
     * socket's receive window, so a client that never reads stops the server's writes early.
     */
    public static RawWebSocket connect(int port, InetAddress localAddress, int receiveBuffer) {
        return connect(port, localAddress, receiveBuffer, "");
    }

    /**
     * Opens {@code /ws} from 127.0.0.1, the tests' trusted proxy, for the client {@code forwardedFor}
     * (its {@code X-Forwarded-For}).
     */
    public static RawWebSocket connectForwarded(int port, String forwardedFor) {
        return connect(port, InetAddress.getLoopbackAddress(), 0, "X-Forwarded-For: " + forwardedFor + "\r\n");
    }

    private static RawWebSocket connect(int port, InetAddress localAddress, int receiveBuffer, String extraHeaders) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) READ_TIMEOUT.toMillis());
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            RawWebSocket ws = new RawWebSocket(socket);
            ws.upgrade(port, extraHeaders);
            return ws;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RawWebSocket connect(int port) {
        return connect(port, GatewayIntegrationTest.randomLoopback(), 0);
    }

    private void upgrade(int port, String extraHeaders) throws IOException {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        out.write(("GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("no upgrade: " + status);
        }
        while (!readLine().isEmpty()) {
            // headers
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed during the upgrade");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** Sends {@code text} as one frame, however long. */
    public void sendText(String text) {
        sendFrame(OPCODE_TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One masked frame with its whole payload. */
    public synchronized void sendFrame(int opcode, boolean fin, byte[] payload) {
        try {
            byte[] mask = new byte[4];
            RANDOM.nextBytes(mask);
            byte[] masked = new byte[payload.length];
            for (int i = 0; i < payload.length; i++) {
                masked[i] = (byte) (payload[i] ^ mask[i & 3]);
            }
            out.write(header(opcode, fin, payload.length, mask));
            out.write(masked);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The header of a frame announcing {@code length} payload bytes, masked with a zero key (so the
     * payload goes unchanged through {@link #sendRaw}).
     */
    public void sendHeader(int opcode, boolean fin, long length) {
        sendRaw(header(opcode, fin, length, new byte[4]));
    }

    public synchronized void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] header(int opcode, boolean fin, long length, byte[] mask) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            h.write(0x80 | (int) length);
        } else if (length <= 0xFFFF) {
            h.write(0x80 | 126);
            h.write((int) (length >>> 8));
            h.write((int) length);
        } else {
            h.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                h.write((int) (length >>> shift));
            }
        }
        h.writeBytes(mask);
        return h.toByteArray();
    }

    /**
     * Sends an unsolicited pong every {@code interval} until the connection fails: a client that
     * never reads still shows it is alive, so the server's idle timeout does not end it.
     */
    public void startHeartbeat(Duration interval) {
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                sendFrame(OPCODE_PONG, true, new byte[0]);
            } catch (UncheckedIOException e) {
                heartbeat.shutdown(); // the connection is gone
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next frame from the server (server frames are not masked). */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    /** The next text frame as a server frame, skipping pings. */
    public ServerFrame next() {
        try {
            while (true) {
                Frame frame = read();
                if (frame.opcode() == OPCODE_TEXT) {
                    return FrameCodec.decodeServer(frame.text());
                }
                if (frame.opcode() == OPCODE_CLOSE) {
                    throw new IllegalStateException("closed by the server: " + closeCode(frame));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until the server's close frame and returns its code; {@link #NO_CLOSE_FRAME} when the
     * connection ended without one (reset or end of stream).
     */
    public int awaitCloseCode() {
        try {
            while (true) {
                Frame frame = read();
                if (frame.opcode() == OPCODE_CLOSE) {
                    return closeCode(frame);
                }
            }
        } catch (IOException e) {
            return NO_CLOSE_FRAME;
        }
    }

    /** Whether the server ended the connection: reads (and drops) everything until the end of the stream. */
    public boolean awaitEndOfStream() {
        try {
            byte[] sink = new byte[64 * 1024];
            while (in.read(sink) >= 0) {
                // what the server had sent before it ended the connection
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static int closeCode(Frame close) {
        return close.payload().length < 2 ? 1005 : ((close.payload()[0] & 0xFF) << 8) | (close.payload()[1] & 0xFF);
    }

    /** The handshake of §3.1 as {@code device} ({@link ClientHandshake}), until {@code session_established}. */
    public ServerFrame.SessionEstablished handshake(DeviceIdentity device) {
        ClientHandshake handshake = new ClientHandshake(device, null);
        sendText(FrameCodec.encode(handshake.hello()));
        ClientHandshake.Reply auth = (ClientHandshake.Reply) handshake.receive(next());
        sendText(FrameCodec.encode(auth.frame()));
        return ((ClientHandshake.Established) handshake.receive(next())).session();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
