package dev.pocketbridge.gateway.edge;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * The REST edge ({@code pocketbridge.gateway.edge}).
 *
 * @param retryAfter the {@code Retry-After} of a 503 the gateway answers itself
 * @param healthTimeout how long {@code /health} waits for each component
 */
@Validated
@ConfigurationProperties("pocketbridge.gateway.edge")
record EdgeProperties(
        @NotNull @DefaultValue("1s") Duration retryAfter,
        @NotNull @DefaultValue("2s") Duration healthTimeout) {
}
