package dev.pocketbridge.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * How a resource server fetches auth-service's JWK set ({@code pocketbridge.jwk-set}); the set is
 * cached and fetched again every few minutes, and a fetch that fails makes that request a 503.
 *
 * @param connectTimeout TCP connect timeout of a fetch
 * @param readTimeout time to wait for a fetch's answer (the library's own default, 500 ms, is short for a busy host)
 */
@ConfigurationProperties("pocketbridge.jwk-set")
@Validated
public record KeySetProperties(
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("3s") @NotNull Duration readTimeout) {
}
