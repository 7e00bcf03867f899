package dev.pocketbridge.auth.device;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * How auth-service reaches device-service ({@code pocketbridge.auth.device}).
 *
 * @param connectTimeout TCP connect timeout of a device lookup or sign-out
 * @param readTimeout time to wait for the device lookup's or sign-out's answer
 * @param retryAfter {@code Retry-After} answered with {@code 503} while device-service is unreachable
 * @param cacheTtl how long {@code GET /verify} reuses a lookup's answer (at most 1 s, so a revoked,
 *     removed or signed-out device's token stops verifying within a second; 0 asks every time).
 *     Logins and refreshes never use the cache.
 * @param signOutRetryInterval pause between two attempts at the sign-outs device-service has not
 *     confirmed yet ({@link DeviceSignOuts})
 */
@ConfigurationProperties("pocketbridge.auth.device")
@Validated
record DeviceServiceProperties(
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("3s") @NotNull Duration readTimeout,
        @DefaultValue("5s") @NotNull Duration retryAfter,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 1) Duration cacheTtl,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration signOutRetryInterval) {
}
