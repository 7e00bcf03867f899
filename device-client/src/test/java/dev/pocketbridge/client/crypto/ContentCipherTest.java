package dev.pocketbridge.client.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ContentCipherTest {

    private final byte[] key = ContentCipher.newKey();
    private final byte[] plaintext = "the clipboard text ✓".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripsAndHidesThePlaintext() {
        byte[] sealed = ContentCipher.encrypt(key, plaintext);

        assertThat(sealed).hasSize(ContentCipher.NONCE_BYTES + plaintext.length + ContentCipher.TAG_BITS / 8);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("clipboard");
        assertThat(ContentCipher.decrypt(key, sealed)).isEqualTo(plaintext);
    }

    @Test
    void eachEncryptionUsesAFreshNonce() {
        assertThat(ContentCipher.encrypt(key, plaintext)).isNotEqualTo(ContentCipher.encrypt(key, plaintext));
    }

    @Test
    void detectsAChangedByte() {
        byte[] sealed = ContentCipher.encrypt(key, plaintext);
        sealed[ContentCipher.NONCE_BYTES + 2] ^= 1;

        assertThatThrownBy(() -> ContentCipher.decrypt(key, sealed)).isInstanceOf(CryptoException.class);
    }

    @Test
    void detectsAChangedNonceAndACutTag() {
        byte[] sealed = ContentCipher.encrypt(key, plaintext);
        byte[] nonceChanged = sealed.clone();
        nonceChanged[0] ^= 1;
        byte[] cut = java.util.Arrays.copyOf(sealed, sealed.length - 1);

        assertThatThrownBy(() -> ContentCipher.decrypt(key, nonceChanged)).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> ContentCipher.decrypt(key, cut)).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> ContentCipher.decrypt(key, new byte[5])).isInstanceOf(CryptoException.class);
    }

    @Test
    void refusesAnotherKey() {
        byte[] sealed = ContentCipher.encrypt(key, plaintext);

        assertThatThrownBy(() -> ContentCipher.decrypt(ContentCipher.newKey(), sealed))
                .isInstanceOf(CryptoException.class);
    }

    @Test
    void associatedDataBindsTheCiphertextToItsStream() {
        byte[] sealed = ContentCipher.encrypt(key, plaintext, ContentCipher.eventAad("clipboard", "text"));

        assertThat(ContentCipher.decrypt(key, sealed, ContentCipher.eventAad("clipboard", "text"))).isEqualTo(plaintext);
        assertThatThrownBy(() -> ContentCipher.decrypt(key, sealed, ContentCipher.eventAad("notes", "text")))
                .isInstanceOf(CryptoException.class);
    }
}
