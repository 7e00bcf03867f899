package dev.pocketbridge.gateway;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * How the gateway gets the service token its internal calls carry ({@code pocketbridge.internal},
 * the keys every calling service shares): the OAuth 2.0 client credentials configured at auth-service.
 *
 * @param clientId the service client's id, as configured at auth-service
 * @param clientSecret the service client's secret, as configured at auth-service (a deployment secret)
 * @param tokenUri auth-service's token endpoint ({@code …/internal/v1/oauth2/token})
 * @param renewBefore how long before its expiry a cached token is replaced by a new one
 */
@Validated
@ConfigurationProperties("pocketbridge.internal")
record InternalClientProperties(
        @DefaultValue("pocketbridge-services") @NotBlank String clientId,
        @NotBlank String clientSecret,
        @NotNull URI tokenUri,
        @DefaultValue("60s") @NotNull Duration renewBefore) {
}
