package dev.pocketbridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** deploy/generate-secrets makes every secret in the form the services read it. */
class GeneratedSecretsTest {

    @TempDir
    Path dir;

    @Test
    void envFileHoldsEverySecretInItsForm() throws Exception {
        Map<String, String> secrets = GeneratedSecrets.env(dir);

        assertThat(secrets).containsOnlyKeys("INTERNAL_CLIENT_SECRET", "GATEWAY_IDENTITY_KEY", "REPLAY_TOKEN_SECRET",
                "JWT_SIGNING_KEY", "ADMIN_PASSWORD", "POSTGRES_PASSWORD", "AUTH_DB_PASSWORD", "DEVICE_DB_PASSWORD",
                "EVENT_DB_PASSWORD", "ANALYTICS_KEY");
        // The Ed25519 seed and the HMAC key: base64url without padding (the only form the services accept), 32 bytes.
        for (String key : new String[] {"GATEWAY_IDENTITY_KEY", "REPLAY_TOKEN_SECRET", "INTERNAL_CLIENT_SECRET",
            "ANALYTICS_KEY"}) {
            assertThat(secrets.get(key)).as(key).matches("[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(secrets.get(key))).as(key).hasSize(32);
        }
        assertThat(secrets.values()).doesNotHaveDuplicates();
        assertSigningKeyPair(secrets.get("JWT_SIGNING_KEY"));
    }

    @Test
    void eachRunMakesNewSecrets() throws IOException {
        Map<String, String> first = GeneratedSecrets.env(dir);
        Map<String, String> second = GeneratedSecrets.env(dir);

        first.forEach((key, value) -> assertThat(second.get(key)).as(key).isNotEqualTo(value));
    }

    @Test
    void kubernetesSecretHoldsTheKeysTheChartReads() throws Exception {
        Map<String, Object> secret = new Yaml().load(GeneratedSecrets.kubernetes("pocketbridge-secrets"));

        assertThat(secret).containsEntry("apiVersion", "v1").containsEntry("kind", "Secret");
        Map<String, String> data = ComposeFileTest.map(secret.get("stringData"));
        assertThat(data).containsOnlyKeys("internal-client-secret", "gateway-identity-key", "replay-token-secret",
                "jwt-signing-key", "admin-password", "analytics-key");
        assertThat(Base64.getUrlDecoder().decode(data.get("gateway-identity-key"))).hasSize(32);
        assertSigningKeyPair(data.get("jwt-signing-key"));
    }

    /**
     * A private EC P-256 JWK whose d belongs to its x and y: what auth-service signs with and what its JWK
     * set publishes. Checked with the JDK alone: a signature made with d verifies with (x, y).
     */
    private static void assertSigningKeyPair(String json) throws GeneralSecurityException {
        Map<String, String> jwk = new Yaml().load(json);
        assertThat(jwk).containsEntry("kty", "EC").containsEntry("crv", "P-256").containsKeys("d", "x", "y");
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
        KeyFactory keys = KeyFactory.getInstance("EC");
        ECPrivateKey privateKey = (ECPrivateKey) keys.generatePrivate(new ECPrivateKeySpec(unsigned(jwk.get("d")), p256));
        ECPublicKey publicKey = (ECPublicKey) keys.generatePublic(
                new ECPublicKeySpec(new ECPoint(unsigned(jwk.get("x")), unsigned(jwk.get("y"))), p256));
        byte[] message = "pocketbridge".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(message);
        assertThat(verifier.verify(signature)).as("a signature made with d verifies with x and y").isTrue();
    }

    private static BigInteger unsigned(String base64url) {
        byte[] bytes = Base64.getUrlDecoder().decode(base64url);
        assertThat(bytes).hasSize(32);
        return new BigInteger(1, bytes);
    }
}
