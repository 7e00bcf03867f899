package dev.pocketbridge.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The HTTP client the gateway itself uses towards the services' internal API
 * ({@code pocketbridge.gateway.clients}); the REST routes use Spring Cloud Gateway's own client.
 *
 * @param connectTimeout TCP connect timeout
 * @param responseTimeout longest wait for a response
 * @param maxResponseBytes largest response body read into memory (replay pages)
 */
@Validated
@ConfigurationProperties("pocketbridge.gateway.clients")
record ClientProperties(
        @NotNull @DefaultValue("2s") Duration connectTimeout,
        @NotNull @DefaultValue("10s") Duration responseTimeout,
        @Min(1) @DefaultValue("33554432") int maxResponseBytes) {
}
