package dev.pocketbridge.gateway;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Base URLs of the services behind the gateway ({@code pocketbridge.services.*}), used by the
 * REST routes, the handshake's device lookup, positions and replay ({@code /health} reads the
 * management ports, {@link ManagementUrls}).
 */
@Validated
@ConfigurationProperties("pocketbridge.services")
public record ServiceUrls(
        @NotNull @DefaultValue("http://localhost:8081") URI auth,
        @NotNull @DefaultValue("http://localhost:8082") URI device,
        @NotNull @DefaultValue("http://localhost:8083") URI event,
        @NotNull @DefaultValue("http://localhost:8084") URI relay) {
}
