package dev.pocketbridge.auth.service;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * The service client and its tokens ({@code pocketbridge.internal}, the keys every service that
 * calls another one shares): the client id and secret the token endpoint accepts, and how long a
 * service token lives.
 *
 * @param clientId the service client's id
 * @param clientSecret the service client's secret (a deployment secret; auth-service does not start without it)
 * @param tokenTtl lifetime of a service token
 * @param renewBefore how long before its expiry auth-service replaces the token it uses itself
 */
@ConfigurationProperties("pocketbridge.internal")
@Validated
record ServiceTokenProperties(
        @DefaultValue("pocketbridge-services") @NotBlank String clientId,
        @NotBlank String clientSecret,
        @DefaultValue("5m") @NotNull Duration tokenTtl,
        @DefaultValue("60s") @NotNull Duration renewBefore) {

    @AssertTrue(message = "renew-before must be shorter than token-ttl")
    boolean isRenewBeforeShorterThanTtl() {
        return tokenTtl == null || renewBefore == null || renewBefore.compareTo(tokenTtl) < 0;
    }
}
