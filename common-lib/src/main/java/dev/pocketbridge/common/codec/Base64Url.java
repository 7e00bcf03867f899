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
        return isValid(text) ? Optional.of(DECODER.decode(text)) : Optional.empty();
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

    /** The 6 bits a url-safe alphabet character stands for; -1 for any other character. */
    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
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
