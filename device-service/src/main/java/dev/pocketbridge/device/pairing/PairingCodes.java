package dev.pocketbridge.device.pairing;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * Pairing codes: 8 Crockford base32 characters (40 random bits), shown as {@code XXXX-XXXX}.
 * Lookups forgive what people mistype or misread: case, the dash, I and L for 1, O for 0.
 */
final class PairingCodes {

    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final int LENGTH = 8;
    private static final int GROUP = LENGTH / 2;

    private PairingCodes() {
    }

    /** A fresh code in its normalised form (no dash, upper case). */
    static String generate(SecureRandom random) {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** {@code XXXX-XXXX}. */
    static String display(String normalized) {
        return normalized.substring(0, GROUP) + "-" + normalized.substring(GROUP);
    }

    /** The normalised code a person meant, or empty when {@code input} cannot be a code. */
    static Optional<String> normalize(String input) {
        if (input == null) {
            return Optional.empty();
        }
        String text = input.toUpperCase(Locale.ROOT);
        if (text.length() == LENGTH + 1 && text.charAt(GROUP) == '-') {
            text = text.substring(0, GROUP) + text.substring(GROUP + 1);
        }
        if (text.length() != LENGTH) {
            return Optional.empty();
        }
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            char c = switch (text.charAt(i)) {
                case 'I', 'L' -> '1';
                case 'O' -> '0';
                default -> text.charAt(i);
            };
            if (ALPHABET.indexOf(c) < 0) {
                return Optional.empty();
            }
            code.append(c);
        }
        return Optional.of(code.toString());
    }
}
