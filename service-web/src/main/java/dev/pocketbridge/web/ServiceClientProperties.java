package dev.pocketbridge.web;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * How a service that calls another service's internal API gets its service token
 * ({@code pocketbridge.internal}): the OAuth 2.0 client credentials it shares with auth-service.
 *
 * @param clientId the service client's id, as configured at auth-service
 * @param clientSecret the service client's secret, as configured at auth-service (a deployment secret)
 * @param tokenUri auth-service's token endpoint ({@code …/internal/v1/oauth2/token})
 * @param renewBefore how long before its expiry a cached token is replaced by a new one
 * @param connectTimeout TCP connect timeout of a token request
 * @param readTimeout time to wait for a token request's answer
 */
@ConfigurationProperties("pocketbridge.internal")
@Validated
public record ServiceClientProperties(
        @DefaultValue("pocketbridge-services") @NotBlank String clientId,
        @NotBlank String clientSecret,
        @NotNull URI tokenUri,
        @DefaultValue("60s") @NotNull Duration renewBefore,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("3s") @NotNull Duration readTimeout) {
}
