package dev.pocketbridge.client.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PairingKeyWrapTest {

    private final byte[] contentKey = ContentCipher.newKey();

    @Test
    void theRightCodeUnwrapsTheContentKey() {
        String secret = PairingPhrase.newSecret();

        byte[] wrapped = PairingKeyWrap.wrap(secret, contentKey);

        assertThat(wrapped).hasSize(PairingKeyWrap.SALT_BYTES + ContentCipher.NONCE_BYTES + 32 + 16);
        assertThat(PairingKeyWrap.unwrap(secret, wrapped)).isEqualTo(contentKey);
    }

    @Test
    void aWrongCodeFails() {
        byte[] wrapped = PairingKeyWrap.wrap("ABCD2345", contentKey);

        assertThatThrownBy(() -> PairingKeyWrap.unwrap("ABCD2346", wrapped))
                .isInstanceOf(CryptoException.class).hasMessageContaining("wrong pairing code");
    }

    @Test
    void aChangedPayloadFails() {
        byte[] wrapped = PairingKeyWrap.wrap("ABCD2345", contentKey);
        wrapped[3] ^= 1; // the salt: another derived key

        assertThatThrownBy(() -> PairingKeyWrap.unwrap("ABCD2345", wrapped)).isInstanceOf(CryptoException.class);
    }

    @Test
    void theCodeAsTypedWithLowerCaseDashesAndLookAlikesStillWorks() {
        byte[] wrapped = PairingKeyWrap.wrap("AB1D0345", contentKey);

        assertThat(PairingKeyWrap.unwrap("ab-ld o345", wrapped)).isEqualTo(contentKey);
    }

    @Test
    void thePhraseCarriesTheServerCodeAndTheSecret() {
        PairingPhrase phrase = new PairingPhrase("K7M2-Q9XA", "ABCD2345");

        assertThat(phrase.display()).isEqualTo("K7M2-Q9XA-ABCD-2345");
        assertThat(phrase.lookupCode()).isEqualTo("K7M2-Q9XA");
        PairingPhrase typed = PairingPhrase.parse(" k7m2 q9xa abcd-2345 ");
        assertThat(typed).isEqualTo(phrase);
        assertThat(typed.secret()).isEqualTo("ABCD2345");
    }

    @Test
    void onlyTheServersHalfIsRefusedWithAnExplanation() {
        assertThatThrownBy(() -> PairingPhrase.parse("K7M2-Q9XA"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only the server's half");
        assertThatThrownBy(() -> PairingPhrase.parse("K7M2-Q9XU-ABCD-2345"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void newSecretsAreCrockfordSymbols() {
        assertThat(PairingPhrase.newSecret()).matches("[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}");
    }
}
