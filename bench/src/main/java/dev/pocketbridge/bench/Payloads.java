package dev.pocketbridge.bench;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import dev.pocketbridge.common.codec.Base64Url;

/**
 * The "ciphertext" of a bench event: random bytes whose first {@link #MARKER_BYTES} are a marker
 * the server never reads (it treats payloads as opaque), so a receiving device can tell whose
 * event it got and which one:
 *
 * <pre>
 *   "PBB1" (4) | user id (16, the UUID's two longs) | run id (8) | event number (8) | random…
 * </pre>
 */
public final class Payloads {

    public static final int MARKER_BYTES = 36;
    /** Base64url characters that encode exactly the marker (36 bytes = 48 characters, no padding). */
    static final int MARKER_CHARS = 48;
    private static final int MAGIC = 0x50424231; // "PBB1"

    /** What a payload says about itself. */
    public record Marker(UUID userId, long runId, long eventNumber) {
    }

    private Payloads() {
    }

    /** A payload of {@code size} bytes (at least the marker) carrying the marker, then random bytes. */
    public static byte[] make(int size, UUID userId, long runId, long eventNumber) {
        byte[] bytes = new byte[Math.max(size, MARKER_BYTES)];
        ThreadLocalRandom.current().nextBytes(bytes);
        ByteBuffer.wrap(bytes)
                .putInt(MAGIC)
                .putLong(userId.getMostSignificantBits())
                .putLong(userId.getLeastSignificantBits())
                .putLong(runId)
                .putLong(eventNumber);
        return bytes;
    }

    /** Reads the marker from a base64url {@code encrypted_payload}; empty when it carries none. */
    public static Optional<Marker> read(String encryptedPayload) {
        if (encryptedPayload == null || encryptedPayload.length() < MARKER_CHARS) {
            return Optional.empty();
        }
        return Base64Url.decode(encryptedPayload.substring(0, MARKER_CHARS)).flatMap(Payloads::read);
    }

    static Optional<Marker> read(byte[] bytes) {
        if (bytes.length < MARKER_BYTES) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt() != MAGIC) {
            return Optional.empty();
        }
        UUID user = new UUID(b.getLong(), b.getLong());
        return Optional.of(new Marker(user, b.getLong(), b.getLong()));
    }
}
