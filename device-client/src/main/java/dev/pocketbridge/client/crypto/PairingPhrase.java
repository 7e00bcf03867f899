package dev.pocketbridge.client.crypto;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * What the user copies from the old device to the new one: the server's pairing code
 * ({@code XXXX-XXXX}) followed by a client-made secret ({@code SSSS-SSSS}), shown as
 * {@code XXXX-XXXX-SSSS-SSSS}, all Crockford base32.
 *
 * <p>Why a secret of its own: the payload must be encrypted before the server issues the code
 * (the code is the answer to the request that carries the payload), and a key derived from the
 * server's code alone would let the server, which knows the code, read the content key. The
 * secret never goes to the server; only the code part is looked up.
 */
public record PairingPhrase(String serverCode, String secret) {

    /** Crockford base32 symbols. */
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public static final int CODE_SYMBOLS = 8;
    public static final int SECRET_SYMBOLS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    public PairingPhrase {
        serverCode = normalize(serverCode);
        secret = normalize(secret);
        if (serverCode.length() != CODE_SYMBOLS || secret.length() != SECRET_SYMBOLS) {
            throw new IllegalArgumentException("a pairing code is " + (CODE_SYMBOLS + SECRET_SYMBOLS)
                    + " Crockford base32 characters, XXXX-XXXX-SSSS-SSSS");
        }
    }

    /** A fresh random secret of {@link #SECRET_SYMBOLS} symbols (40 bits). */
    public static String newSecret() {
        StringBuilder secret = new StringBuilder(SECRET_SYMBOLS);
        for (int i = 0; i < SECRET_SYMBOLS; i++) {
            secret.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return secret.toString();
    }

    /**
     * Reads a phrase as typed: case, dashes and spaces do not matter, and Crockford's look-alikes
     * ({@code O}→0, {@code I}/{@code L}→1) are accepted.
     *
     * @throws IllegalArgumentException when it is not 16 symbols (e.g. only the server's code)
     */
    public static PairingPhrase parse(String typed) {
        String symbols = normalize(typed);
        if (symbols.length() == CODE_SYMBOLS) {
            throw new IllegalArgumentException("that is only the server's half of the pairing code: "
                    + "type all of XXXX-XXXX-SSSS-SSSS as shown on the other device");
        }
        if (symbols.length() != CODE_SYMBOLS + SECRET_SYMBOLS) {
            throw new IllegalArgumentException("a pairing code is XXXX-XXXX-SSSS-SSSS (16 characters)");
        }
        return new PairingPhrase(symbols.substring(0, CODE_SYMBOLS), symbols.substring(CODE_SYMBOLS));
    }

    /** The server's code as shown and looked up: {@code XXXX-XXXX}. */
    public String lookupCode() {
        return serverCode.substring(0, 4) + "-" + serverCode.substring(4);
    }

    /** The whole phrase, {@code XXXX-XXXX-SSSS-SSSS}. */
    public String display() {
        return lookupCode() + "-" + secret.substring(0, 4) + "-" + secret.substring(4);
    }

    @Override
    public String toString() {
        return display();
    }

    /**
     * Upper case, without dashes and whitespace, look-alikes mapped.
     *
     * @throws IllegalArgumentException for a character outside Crockford base32
     */
    public static String normalize(String text) {
        if (text == null) {
            throw new IllegalArgumentException("pairing code missing");
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            char mapped = switch (c) {
                case 'O' -> '0';
                case 'I', 'L' -> '1';
                default -> c;
            };
            if (ALPHABET.indexOf(mapped) < 0) {
                throw new IllegalArgumentException("'" + c + "' is not a pairing code character");
            }
            out.append(mapped);
        }
        return out.toString();
    }
}
