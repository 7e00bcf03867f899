package dev.pocketbridge.event.replay;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalLong;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.pocketbridge.common.codec.Base64Url;

/**
 * Opaque, tamper-evident replay continuation tokens bound to one user: base64url of
 * {@code version || after_seq || HMAC-SHA256(key, version || user_id || after_seq)}. The user id is
 * in the MAC but not in the token, so a token reveals nothing and fails for any other user.
 */
final class ContinuationTokens {

    static final int MIN_KEY_BYTES = 32;
    private static final byte VERSION = 1;
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_BYTES = 32;
    private static final int TOKEN_BYTES = 1 + Long.BYTES + MAC_BYTES;

    private final SecretKeySpec key;

    ContinuationTokens(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the token key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    String encode(UUID userId, long afterSeq) {
        ByteBuffer token = ByteBuffer.allocate(TOKEN_BYTES);
        token.put(VERSION).putLong(afterSeq).put(mac(userId, VERSION, afterSeq));
        return Base64Url.encode(token.array());
    }

    /** The {@code after_seq} the token continues from, or empty when it is malformed, tampered or another user's. */
    OptionalLong decode(UUID userId, String text) {
        byte[] bytes = Base64Url.decodeExact(text, TOKEN_BYTES).orElse(null);
        if (bytes == null) {
            return OptionalLong.empty();
        }
        ByteBuffer token = ByteBuffer.wrap(bytes);
        byte version = token.get();
        long afterSeq = token.getLong();
        byte[] mac = new byte[MAC_BYTES];
        token.get(mac);
        if (version != VERSION || afterSeq < 0 || !MessageDigest.isEqual(mac, mac(userId, version, afterSeq))) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(afterSeq);
    }

    private byte[] mac(UUID userId, byte version, long afterSeq) {
        try {
            Mac hmac = Mac.getInstance(ALGORITHM);
            hmac.init(key);
            hmac.update(ByteBuffer.allocate(1 + 2 * Long.BYTES + Long.BYTES).put(version)
                    .putLong(userId.getMostSignificantBits()).putLong(userId.getLeastSignificantBits())
                    .putLong(afterSeq).array());
            return hmac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
