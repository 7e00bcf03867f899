package dev.pocketbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.pocketbridge.common.codec.Json;
import tools.jackson.databind.JsonNode;

/**
 * HTTP/1.1 over a bare socket, for what a well-behaved client library will not do: declare a
 * body it never sends, or stream a chunked body without end. A server that answers such a request
 * at all has answered it without reading the whole body.
 */
public final class RawHttp {

    /** How long a test waits for the answer; a server waiting for the rest of the body never gives one. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    private static final byte[] JSON_START = "{\"x\":".getBytes(StandardCharsets.US_ASCII);

    private RawHttp() {
    }

    /** The answer: status, headers (names lower case) and body. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Asserts the RFC 9457 shape ({@code application/problem+json}, {@code code}, {@code request_id}) and returns the code. */
        public String problemCode(int expectedStatus) {
            assertThat(status).as(body).isEqualTo(expectedStatus);
            assertThat(header("Content-Type")).startsWith("application/problem+json");
            JsonNode json = Json.mapper().readTree(body);
            assertThat(json.get("status").asInt()).isEqualTo(expectedStatus);
            assertThat(json.get("request_id").asString()).isEqualTo(header("X-Request-ID"));
            assertThat(json.get("detail").asString()).isNotBlank();
            return json.get("code").asString();
        }
    }

    /**
     * Sends the headers of a JSON request declaring {@code declaredLength} bytes, then only the first
     * {@code sentBytes} of it, and reads the answer.
     */
    public static Answer declaredBody(int port, String method, String path, long declaredLength, int sentBytes) {
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(method, path, "Content-Length: " + declaredLength));
            out.write(jsonPrefix(sentBytes));
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Streams a chunked JSON body of up to {@code maxBytes} in 8 KiB chunks from another thread,
     * never sending the last chunk, and reads the answer while it does.
     */
    public static Answer chunkedBody(int port, String method, String path, long maxBytes) {
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(method, path, "Transfer-Encoding: chunked"));
            AtomicLong written = new AtomicLong();
            Thread writer = Thread.ofPlatform().daemon().name("raw-http-chunks").start(() -> {
                byte[] chunk = jsonPrefix(8192);
                byte[] frame = concat(("2000\r\n").getBytes(StandardCharsets.US_ASCII), chunk,
                        "\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] filler = concat(("2000\r\n").getBytes(StandardCharsets.US_ASCII), fill(8192),
                        "\r\n".getBytes(StandardCharsets.US_ASCII));
                try {
                    out.write(frame);
                    written.addAndGet(8192);
                    while (written.get() + 8192 <= maxBytes && !socket.isClosed()) {
                        out.write(filler);
                        written.addAndGet(8192);
                    }
                    out.flush();
                } catch (IOException e) {
                    // the server stopped reading and closed: expected once it has answered
                }
            });
            try {
                return read(socket.getInputStream());
            } finally {
                socket.close();
                writer.join(ANSWER_TIMEOUT.toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
        return socket;
    }

    private static byte[] head(String method, String path, String lengthHeader) {
        return (method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + lengthHeader + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * {@code n} bytes of the start of a JSON document that is all whitespace after its first member
     * name ({@code {"x":    …}): valid as far as it goes, and within every JSON constraint but its length.
     */
    private static byte[] jsonPrefix(int n) {
        byte[] bytes = fill(n);
        System.arraycopy(JSON_START, 0, bytes, 0, Math.min(n, JSON_START.length));
        return bytes;
    }

    private static byte[] fill(int n) {
        byte[] bytes = new byte[n];
        Arrays.fill(bytes, (byte) ' ');
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine.isEmpty()) {
            throw new IOException("no answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
                body.writeBytes(in.readNBytes(size));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.writeBytes(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
