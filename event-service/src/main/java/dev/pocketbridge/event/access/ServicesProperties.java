package dev.pocketbridge.event.access;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Base URLs of the services event-service calls ({@code pocketbridge.services}; auth-service's,
 * {@code pocketbridge.services.auth}, is only read for its JWK set and token endpoint URIs).
 *
 * @param device device-service base URL (its internal device lookup)
 */
@ConfigurationProperties("pocketbridge.services")
@Validated
record ServicesProperties(@DefaultValue("http://localhost:8082") @NotNull URI device) {
}
