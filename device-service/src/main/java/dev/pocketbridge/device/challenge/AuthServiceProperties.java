package dev.pocketbridge.device.challenge;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * How device-service reaches auth-service's challenge API ({@code pocketbridge.device.auth}).
 *
 * @param connectTimeout TCP connect timeout of a challenge consumption
 * @param readTimeout time to wait for the consumption's answer
 * @param retryAfter {@code Retry-After} answered with {@code 503} while auth-service is unreachable
 */
@ConfigurationProperties("pocketbridge.device.auth")
@Validated
public record AuthServiceProperties(
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("3s") @NotNull Duration readTimeout,
        @DefaultValue("5s") @NotNull Duration retryAfter) {
}
