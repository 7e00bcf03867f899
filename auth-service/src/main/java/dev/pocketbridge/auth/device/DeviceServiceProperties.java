package dev.pocketbridge.auth.device;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * How auth-service reaches device-service ({@code pocketbridge.auth.device}).
 *
 * @param connectTimeout TCP connect timeout of a device lookup
 * @param readTimeout time to wait for the device lookup's answer
 * @param retryAfter {@code Retry-After} answered with {@code 503} while device-service is unreachable
 */
@ConfigurationProperties("pocketbridge.auth.device")
@Validated
public record DeviceServiceProperties(
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("3s") @NotNull Duration readTimeout,
        @DefaultValue("5s") @NotNull Duration retryAfter) {
}
