package dev.pocketbridge.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import dev.pocketbridge.common.codec.Base64Url;

/** SHA-256 of secrets that are stored only hashed (pairing codes, pairing tokens). */
public final class Hashes {

    private Hashes() {
    }

    /** SHA-256 of the UTF-8 bytes of {@code secret}, as base64url text. */
    public static String sha256(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return Base64Url.encode(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
