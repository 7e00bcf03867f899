package dev.pocketbridge.common.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/** Base64url without padding (RFC 4648 §5), the only binary encoding on the wire. */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** The 6 bits each url-safe alphabet character stands for, by its code; -1 for every other Latin-1 character. */
    private static final byte[] SEXTETS = new byte[256];

    static {
        Arrays.fill(SEXTETS, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            SEXTETS[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * {@link #encode}'s text as its ASCII bytes, with no string in between: for writers that put
     * the text into a byte stream as it is (it never needs escaping in JSON).
     */
    public static byte[] encodeAscii(byte[] bytes) {
        return ENCODER.encode(bytes);
    }

    /**
     * Decodes strictly: padding, characters outside the url-safe alphabet and non-canonical
     * trailing bits are refused, so every byte string has exactly one accepted text form
     * ({@link #isValid}).
     */
    public static Optional<byte[]> decode(String text) {
        if (text == null) {
            return Optional.empty();
        }
        // One pass that checks and decodes (every stored payload passes here): four characters are three bytes.
        // The text's Latin-1 bytes are one fast copy; a character beyond Latin-1 becomes one '?' (refused too).
        byte[] chars = text.getBytes(StandardCharsets.ISO_8859_1);
        int length = chars.length;
        if (length % 4 == 1) {
            return Optional.empty();
        }
        byte[] bytes = new byte[length / 4 * 3 + Math.max(0, length % 4 - 1)];
        int full = length - length % 4;
        int out = 0;
        for (int i = 0; i < full; i += 4) {
            int bits = SEXTETS[chars[i] & 0xFF] << 18 | SEXTETS[chars[i + 1] & 0xFF] << 12
                    | SEXTETS[chars[i + 2] & 0xFF] << 6 | SEXTETS[chars[i + 3] & 0xFF];
            if (bits < 0) { // any -1 sets the sign bit
                return Optional.empty();
            }
            bytes[out++] = (byte) (bits >> 16);
            bytes[out++] = (byte) (bits >> 8);
            bytes[out++] = (byte) bits;
        }
        int rem = length - full;
        if (rem > 0) {
            int bits = SEXTETS[chars[full] & 0xFF] << 18 | SEXTETS[chars[full + 1] & 0xFF] << 12
                    | (rem == 3 ? SEXTETS[chars[full + 2] & 0xFF] << 6 : 0);
            // The bits beyond the last whole byte must be zero, so that the text is the bytes' one encoding.
            if (bits < 0 || (bits & (rem == 2 ? 0xFFFF : 0xFF)) != 0) {
                return Optional.empty();
            }
            bytes[out++] = (byte) (bits >> 16);
            if (rem == 3) {
                bytes[out] = (byte) (bits >> 8);
            }
        }
        return Optional.of(bytes);
    }

    /**
     * Whether {@link #decode} accepts {@code text}, in one pass and without decoding it: only
     * url-safe alphabet characters, no padding, a length that is not 1 more than a multiple of 4,
     * and a last character whose bits beyond the encoded bytes are zero (so {@code encode} of the
     * bytes gives back exactly this text).
     */
    public static boolean isValid(String text) {
        if (text == null) {
            return false;
        }
        int length = text.length();
        int rem = length % 4;
        if (rem == 1) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (sextet(text.charAt(i)) < 0) {
                return false;
            }
        }
        // 2 characters carry 1 byte (4 bits to spare), 3 carry 2 bytes (2 bits to spare).
        int spareBits = rem == 2 ? 0x0F : rem == 3 ? 0x03 : 0;
        return spareBits == 0 || (sextet(text.charAt(length - 1)) & spareBits) == 0;
    }

    /**
     * The 6 bits a url-safe alphabet character stands for; -1 for any other character. A table, not
     * branches: every payload's every character is checked here on the event path (docs/performance.md).
     */
    private static int sextet(char c) {
        return c < SEXTETS.length ? SEXTETS[c] : -1;
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
