package dev.pocketbridge.common.ids;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** Canonical UUID text as the protocol requires it, and time-ordered (v7) ids for server-made ids. */
public final class Uuids {

    /** Length of the canonical text: 32 hex digits in groups of 8-4-4-4-12. */
    private static final int LENGTH = 36;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Uuids() {
    }

    /** Parses lowercase canonical UUID text; anything else (upper case, braces, short forms) is empty. */
    public static Optional<UUID> parse(String text) {
        if (!isCanonical(text)) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
    }

    /**
     * Whether {@code text} is {@code [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}: checked
     * character by character rather than by a regular expression, since every event's ids pass here
     * on the event path (docs/performance.md).
     */
    public static boolean isCanonical(String text) {
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            boolean valid = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    /** A UUID v7 (RFC 9562): 48-bit millisecond timestamp, version, 74 random bits. */
    public static UUID v7(Clock clock) {
        long millis = clock.millis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
