package dev.pocketbridge.device.registry;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Device names as PROTOCOL §2.1 defines them: lone surrogates (text that was not valid Unicode),
 * control (Cc) and format (Cf) characters removed, Unicode NFC, surrounding whitespace trimmed, then
 * 1 to {@code max} code points. Removal comes before NFC because dropping a format character (say a
 * zero-width joiner) between a letter and a combining mark leaves a sequence that NFC must compose.
 */
final class DeviceNames {

    private DeviceNames() {
    }

    /** The normalised name, or empty when nothing acceptable remains or it is longer than {@code maxCodePoints}. */
    public static Optional<String> normalize(String raw, int maxCodePoints) {
        if (raw == null) {
            return Optional.empty();
        }
        StringBuilder kept = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, raw.charAt(i + 1));
                i++;
                if (!removed(codePoint)) {
                    kept.appendCodePoint(codePoint);
                }
            } else if (!Character.isSurrogate(c) && !removed(c)) {
                kept.append(c);
            }
        }
        String name = trim(Normalizer.normalize(kept, Normalizer.Form.NFC));
        int length = name.codePointCount(0, name.length());
        return length >= 1 && length <= maxCodePoints ? Optional.of(name) : Optional.empty();
    }

    /**
     * The key under which names are unique within a user: case-insensitive comparison through full
     * upper then lower case mapping (so "STRASSE" and "straße" collide), composed again with NFC.
     */
    public static String key(String normalizedName) {
        return Normalizer.normalize(normalizedName.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT),
                Normalizer.Form.NFC);
    }

    private static boolean removed(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT;
    }

    /** Strips Unicode whitespace and space separators (no-break space included) from both ends. */
    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end) {
            int cp = text.codePointAt(start);
            if (!blank(cp)) {
                break;
            }
            start += Character.charCount(cp);
        }
        while (end > start) {
            int cp = text.codePointBefore(end);
            if (!blank(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return text.substring(start, end);
    }

    private static boolean blank(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }
}
