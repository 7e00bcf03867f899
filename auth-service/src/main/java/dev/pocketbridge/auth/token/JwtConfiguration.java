package dev.pocketbridge.auth.token;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

/** The signing key, the encoder that signs with it, and the decoder this service validates bearer tokens with (no HTTP call to itself). */
@Configuration(proxyBeanMethods = false)
class JwtConfiguration {

    @Bean
    SigningKey signingKey(TokenProperties properties, SigningKeyRepository repository, Clock clock) {
        return SigningKey.load(properties, repository, clock);
    }

    @Bean
    JwtEncoder jwtEncoder(SigningKey key) {
        return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key.privateKey())));
    }

    @Bean
    JwtDecoder jwtDecoder(SigningKey key, TokenProperties properties, Clock clock) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(key.publicJwkSet()))
                .jwsAlgorithm(SignatureAlgorithm.ES256)
                .build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps,
                new JwtIssuerValidator(properties.issuer())));
        return decoder;
    }
}
