package dev.pocketbridge.client.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * End-to-end encryption of event payloads with the user's 32-byte content key: AES-256-GCM, a
 * random 12-byte nonce in front of the ciphertext and its 16-byte tag. The server only ever sees
 * the result. Optional associated data (e.g. {@link #eventAad}) binds a ciphertext to where it
 * belongs, so that it cannot be moved to another stream unnoticed.
 */
public final class ContentCipher {

    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BITS = 128;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContentCipher() {
    }

    /** A new random content key (the first device of a user makes it; pairing hands it on). */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The associated data used by the CLI for an event: its stream and type. */
    public static byte[] eventAad(String streamId, String eventType) {
        return ("pocketbridge/event/v1\n" + streamId + "\n" + eventType).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code nonce || ciphertext || tag} of {@code plaintext}, without associated data. */
    public static byte[] encrypt(byte[] key, byte[] plaintext) {
        return encrypt(key, plaintext, null);
    }

    /** {@code nonce || ciphertext || tag} of {@code plaintext}; {@code aad} may be null. */
    public static byte[] encrypt(byte[] key, byte[] plaintext, byte[] aad) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, aad);
            byte[] out = new byte[NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            cipher.doFinal(ByteBuffer.wrap(plaintext), ByteBuffer.wrap(out, NONCE_BYTES, out.length - NONCE_BYTES));
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Reverses {@link #encrypt(byte[], byte[])}. */
    public static byte[] decrypt(byte[] key, byte[] sealed) {
        return decrypt(key, sealed, null);
    }

    /**
     * Reverses {@link #encrypt(byte[], byte[], byte[])} with the same {@code aad}.
     *
     * @throws CryptoException when the key or associated data is wrong or the data was changed
     */
    public static byte[] decrypt(byte[] key, byte[] sealed, byte[] aad) {
        if (sealed == null || sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new CryptoException("ciphertext too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, NONCE_BYTES), aad);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new CryptoException("ciphertext does not authenticate (wrong key or changed data)", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot decrypt: " + e.getMessage(), e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] aad) throws GeneralSecurityException {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("content key must be " + KEY_BYTES + " bytes");
        }
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        if (aad != null) {
            cipher.updateAAD(aad);
        }
        return cipher;
    }
}
