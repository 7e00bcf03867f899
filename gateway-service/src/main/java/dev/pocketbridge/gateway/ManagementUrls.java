package dev.pocketbridge.gateway;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Base URLs of the services' management ports ({@code pocketbridge.services.management.*}), where
 * {@code /health} reads each one's readiness.
 */
@Validated
@ConfigurationProperties("pocketbridge.services.management")
public record ManagementUrls(
        @NotNull @DefaultValue("http://localhost:9081") URI auth,
        @NotNull @DefaultValue("http://localhost:9082") URI device,
        @NotNull @DefaultValue("http://localhost:9083") URI event,
        @NotNull @DefaultValue("http://localhost:9084") URI relay) {
}
