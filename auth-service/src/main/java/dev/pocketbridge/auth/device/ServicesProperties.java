package dev.pocketbridge.auth.device;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Base URLs of the services auth-service calls ({@code pocketbridge.services}).
 *
 * @param device device-service base URL (internal API)
 */
@ConfigurationProperties("pocketbridge.services")
@Validated
record ServicesProperties(@DefaultValue("http://localhost:8082") @NotNull URI device) {
}
