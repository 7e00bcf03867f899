package dev.pocketbridge.auth.token;

import java.text.ParseException;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/** The ES256 (P-256) key that signs access tokens, with its {@code kid}. */
record SigningKey(ECKey privateKey) {

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    public String kid() {
        return privateKey.getKeyID();
    }

    /** The public JWK set published at {@code /.well-known/jwks.json}. */
    public JWKSet publicJwkSet() {
        return new JWKSet(privateKey.toPublicJWK());
    }

    /** From configuration if given, else the shared key in the database (created by the first instance to start). */
    static SigningKey load(TokenProperties properties, SigningKeyRepository repository, Clock clock) {
        if (properties.signingKey() != null && !properties.signingKey().isBlank()) {
            return new SigningKey(parse(properties.signingKey()));
        }
        return repository.findActive().map(row -> new SigningKey(parse(row.privateJwk()))).orElseGet(() -> {
            ECKey generated = generate();
            int inserted = repository.insertActiveIfNone(generated.getKeyID(), JWSAlgorithm.ES256.getName(),
                    generated.toJSONString(), clock.instant());
            if (inserted == 1) {
                log.info("generated the signing key {}", generated.getKeyID());
            }
            // Another instance may have won the race: whatever is active now is the key of every instance.
            return repository.findActive().map(row -> new SigningKey(parse(row.privateJwk())))
                    .orElseThrow(() -> new IllegalStateException("no active signing key after insert"));
        });
    }

    static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    static ECKey parse(String json) {
        JWK jwk;
        try {
            jwk = JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("the signing key is not a JWK", e);
        }
        if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || !ec.isPrivate()) {
            throw new IllegalStateException("the signing key must be a private EC P-256 JWK");
        }
        try {
            String kid = ec.getKeyID() != null ? ec.getKeyID() : ec.computeThumbprint().toString();
            return new ECKey.Builder(ec).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot compute the signing key's thumbprint", e);
        }
    }
}
