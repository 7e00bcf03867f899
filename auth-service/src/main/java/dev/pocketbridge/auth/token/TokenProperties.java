package dev.pocketbridge.auth.token;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Access tokens ({@code pocketbridge.auth.token}).
 *
 * @param issuer the {@code iss} claim, checked again when this service validates a token
 * @param accessTokenTtl lifetime of a device access token
 * @param signingKey optional EC P-256 private key as a JWK (JSON); when absent the key is generated
 *        on first start and kept in the {@code signing_keys} table, shared by every instance
 */
@ConfigurationProperties("pocketbridge.auth.token")
@Validated
record TokenProperties(
        @DefaultValue("pocketbridge") @NotBlank String issuer,
        @DefaultValue("15m") @NotNull Duration accessTokenTtl,
        String signingKey) {
}
