package dev.pocketbridge.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

class SigningKeyTest {

    @Test
    void aConfiguredKeyWithoutKidGetsItsThumbprint() throws Exception {
        ECKey generated = SigningKey.generate();
        ECKey withoutKid = new ECKey.Builder(generated).keyID(null).build();

        ECKey parsed = SigningKey.parse(withoutKid.toJSONString());

        assertThat(parsed.getKeyID()).isEqualTo(generated.computeThumbprint().toString());
        assertThat(parsed.getAlgorithm().getName()).isEqualTo("ES256");
    }

    @Test
    void onlyPrivateP256KeysAreAccepted() throws Exception {
        String publicOnly = SigningKey.generate().toPublicJWK().toJSONString();
        String rsa = new RSAKeyGenerator(2048).generate().toJSONString();

        assertThatThrownBy(() -> SigningKey.parse(publicOnly)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SigningKey.parse(rsa)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SigningKey.parse("not json")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void thePublishedSetHoldsNoPrivatePart() {
        SigningKey key = new SigningKey(SigningKey.generate());

        assertThat(key.publicJwkSet().getKeys()).singleElement()
                .satisfies(jwk -> assertThat(jwk.isPrivate()).isFalse())
                .satisfies(jwk -> assertThat(jwk.getKeyID()).isEqualTo(key.kid()));
    }
}
