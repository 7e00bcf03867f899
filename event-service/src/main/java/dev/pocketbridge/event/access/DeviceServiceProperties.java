package dev.pocketbridge.event.access;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * How event-service asks device-service whether a device access token still counts
 * ({@code pocketbridge.event.device}; device-service's base URL is {@code pocketbridge.services.device}).
 *
 * @param connectTimeout TCP connect timeout of a device lookup
 * @param readTimeout time to wait for the lookup's answer
 * @param retryAfter {@code Retry-After} answered with {@code 503} while device-service is unreachable
 * @param cacheTtl how long a lookup's answer is reused (at most 1 s, so a revoked or removed device's
 *     token stops working within a second; 0 asks every time)
 */
@ConfigurationProperties("pocketbridge.event.device")
@Validated
record DeviceServiceProperties(
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("3s") @NotNull Duration readTimeout,
        @DefaultValue("5s") @NotNull Duration retryAfter,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 1) Duration cacheTtl) {
}
