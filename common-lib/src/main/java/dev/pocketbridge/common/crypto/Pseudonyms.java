package dev.pocketbridge.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.pocketbridge.common.codec.Base64Url;

/**
 * Keyed pseudonyms of ids, for {@code events.analytics} (docs/analytics.md): the first {@link #LENGTH}
 * characters of base64url (no padding) of HMAC-SHA256 under the deployment's analytics key of
 * {@code <label>:<value>}. The same id always gets the same pseudonym under one key; without the
 * key nothing leads from a pseudonym back to the id (nor from an id to its pseudonym). Labels keep
 * the kinds of ids apart: {@code user:<user_id>}, {@code device:<device_id>},
 * {@code event:<event_id>}, and {@code stream:<user_id>:<stream_id>} (a stream's name is the
 * client's choice and may say something about the person, so it is pseudonymised within its user:
 * the same name in two accounts gets two pseudonyms).
 */
public final class Pseudonyms {

    /** Characters of a pseudonym: 22 base64url characters are 132 bits of the MAC. */
    public static final int LENGTH = 22;
    /** Shortest key accepted, in bytes (HMAC-SHA256's own output size). */
    public static final int MIN_KEY_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    /**
     * One MAC per thread, initialised with the key once: looking the algorithm up and keying it for
     * every pseudonym cost more than the MAC itself, four times per stored event (docs/performance.md).
     * {@code doFinal} leaves a MAC ready for the next message under the same key.
     */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    private Pseudonyms(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        newMac(); // fail here, not on the first event, if HMAC-SHA256 or the key is refused
    }

    /**
     * @param key the deployment's analytics key, base64url without padding, at least {@link #MIN_KEY_BYTES} bytes
     * @throws IllegalArgumentException when it is absent, not base64url, or too short
     */
    public static Pseudonyms fromBase64Url(String key) {
        byte[] bytes = Base64Url.decode(key == null ? null : key.trim()).orElseThrow(
                () -> new IllegalArgumentException("the analytics key must be base64url without padding"));
        if (bytes.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the analytics key must be at least " + MIN_KEY_BYTES + " bytes");
        }
        return new Pseudonyms(bytes);
    }

    public String user(String userId) {
        return of("user", userId);
    }

    public String device(String deviceId) {
        return of("device", deviceId);
    }

    public String event(String eventId) {
        return of("event", eventId);
    }

    public String stream(String userId, String streamId) {
        return of("stream", userId + ":" + streamId);
    }

    private String of(String label, String value) {
        byte[] digest = macs.get().doFinal((label + ":" + value).getBytes(StandardCharsets.UTF_8));
        return Base64Url.encode(digest).substring(0, LENGTH);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
