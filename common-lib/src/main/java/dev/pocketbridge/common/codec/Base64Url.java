package dev.pocketbridge.common.codec;

import java.util.Base64;
import java.util.Optional;

/** Base64url without padding (RFC 4648 §5), the only binary encoding on the wire. */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * Decodes strictly: padding, characters outside the url-safe alphabet and non-canonical
     * trailing bits are refused, so every byte string has exactly one accepted text form.
     */
    public static Optional<byte[]> decode(String text) {
        if (text == null || text.indexOf('=') >= 0 || text.length() % 4 == 1) {
            return Optional.empty();
        }
        try {
            byte[] bytes = DECODER.decode(text);
            return ENCODER.encodeToString(bytes).equals(text) ? Optional.of(bytes) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Decodes strictly and requires exactly {@code length} bytes. */
    public static Optional<byte[]> decodeExact(String text, int length) {
        return decode(text).filter(bytes -> bytes.length == length);
    }

    /** Length in characters of the text {@code bytes} bytes encode to (no padding), without encoding them. */
    public static long encodedLength(long bytes) {
        return (bytes * 4 + 2) / 3;
    }

    /** Length in bytes that {@code text} decodes to, without decoding it; -1 when it cannot be base64url. */
    public static long decodedLength(String text) {
        if (text == null) {
            return -1;
        }
        int rem = text.length() % 4;
        if (rem == 1) {
            return -1;
        }
        return (long) (text.length() / 4) * 3 + (rem == 0 ? 0 : rem - 1);
    }
}
