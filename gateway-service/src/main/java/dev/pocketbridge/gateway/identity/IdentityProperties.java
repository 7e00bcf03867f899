package dev.pocketbridge.gateway.identity;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * The deployment's Ed25519 identity ({@code pocketbridge.gateway.identity}): either
 * {@code private-key} (base64url 32-byte seed) or the seed stored in {@code key-file}, created on
 * first start when neither exists.
 */
@Validated
@ConfigurationProperties("pocketbridge.gateway.identity")
public record IdentityProperties(
        String privateKey,
        @NotNull @DefaultValue(".data/server-identity.key") Path keyFile) {
}
