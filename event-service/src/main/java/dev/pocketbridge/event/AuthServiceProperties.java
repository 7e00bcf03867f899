package dev.pocketbridge.event;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * How event-service depends on auth-service ({@code pocketbridge.event.auth}): only for the JWK
 * set that verifies service tokens (at {@code pocketbridge.services.auth}).
 *
 * @param retryAfter {@code Retry-After} answered with {@code 503} while the JWK set cannot be fetched
 */
@ConfigurationProperties("pocketbridge.event.auth")
@Validated
record AuthServiceProperties(@DefaultValue("5s") @NotNull Duration retryAfter) {
}
