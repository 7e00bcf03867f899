package dev.pocketbridge.device;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Base URLs of the services device-service calls ({@code pocketbridge.services}).
 *
 * @param auth auth-service base URL (internal challenge API and the JWK set of access tokens)
 */
@ConfigurationProperties("pocketbridge.services")
@Validated
public record ServicesProperties(@DefaultValue("http://localhost:8081") @NotNull URI auth) {
}
