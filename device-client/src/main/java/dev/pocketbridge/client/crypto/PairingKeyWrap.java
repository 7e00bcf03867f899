package dev.pocketbridge.client.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Carries the content key to a new device inside the pairing payload: a key derived from the
 * pairing secret with PBKDF2-HMAC-SHA256 (200,000 iterations, random 16-byte salt) encrypts the
 * content key with AES-256-GCM. Layout: {@code salt(16) || nonce(12) || ciphertext || tag(16)}.
 * The secret is normalised first ({@link PairingPhrase#normalize}), so case and dashes typed by
 * the user do not matter.
 */
public final class PairingKeyWrap {

    public static final int ITERATIONS = 200_000;
    public static final int SALT_BYTES = 16;
    private static final byte[] AAD = "pocketbridge/pairing/v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private PairingKeyWrap() {
    }

    /** Encrypts {@code contentKey} under {@code secret}. */
    public static byte[] wrap(String secret, byte[] contentKey) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] sealed = ContentCipher.encrypt(deriveKey(secret, salt), contentKey, AAD);
        byte[] out = Arrays.copyOf(salt, SALT_BYTES + sealed.length);
        System.arraycopy(sealed, 0, out, SALT_BYTES, sealed.length);
        return out;
    }

    /**
     * Decrypts what {@link #wrap} made.
     *
     * @throws CryptoException when {@code secret} is not the one used (or the payload was changed)
     */
    public static byte[] unwrap(String secret, byte[] wrapped) {
        if (wrapped == null || wrapped.length <= SALT_BYTES) {
            throw new CryptoException("pairing payload too short");
        }
        byte[] salt = Arrays.copyOf(wrapped, SALT_BYTES);
        byte[] sealed = Arrays.copyOfRange(wrapped, SALT_BYTES, wrapped.length);
        try {
            return ContentCipher.decrypt(deriveKey(secret, salt), sealed, AAD);
        } catch (CryptoException e) {
            throw new CryptoException("wrong pairing code (or a changed pairing payload)", e);
        }
    }

    static byte[] deriveKey(String secret, byte[] salt) {
        char[] password = PairingPhrase.normalize(secret).toCharArray();
        PBEKeySpec spec = new PBEKeySpec(password, salt, ITERATIONS, ContentCipher.KEY_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(password, '\0');
        }
    }
}
