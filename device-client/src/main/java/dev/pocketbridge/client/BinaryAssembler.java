package dev.pocketbridge.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Joins the parts of one WebSocket binary message, as {@link TextAssembler} does a text message's:
 * {@link java.net.http.WebSocket.Listener#onBinary} may deliver a message in several calls. Not
 * thread-safe; the WebSocket calls its listener one call at a time.
 */
final class BinaryAssembler {

    private final int maxBytes;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    /** {@code maxBytes}: the longest message accepted; a longer one fails rather than filling memory. */
    BinaryAssembler(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Adds one part (reading it to its end). Returns the whole message when {@code last} is true,
     * else null.
     *
     * @throws IllegalStateException when the message grows beyond {@code maxBytes} (the buffer is
     *         then cleared)
     */
    byte[] accept(ByteBuffer part, boolean last) {
        if ((long) buffer.size() + part.remaining() > maxBytes) {
            buffer.reset();
            throw new IllegalStateException("binary message longer than " + maxBytes + " bytes");
        }
        byte[] bytes = new byte[part.remaining()];
        part.get(bytes);
        if (last && buffer.size() == 0) {
            return bytes; // the common case: a message in one part
        }
        buffer.writeBytes(bytes);
        if (!last) {
            return null;
        }
        byte[] message = buffer.toByteArray();
        buffer.reset();
        return message;
    }

    /** Bytes of an unfinished message held so far. */
    int pending() {
        return buffer.size();
    }
}
