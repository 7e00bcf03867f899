package dev.pocketbridge.client.crypto;

/** Decryption failed: wrong key, wrong pairing code, or data that was changed or cut. */
public class CryptoException extends RuntimeException {

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }

    public CryptoException(String message) {
        super(message);
    }
}
