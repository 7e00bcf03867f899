package dev.pocketbridge.device.registry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Users' devices ({@code pocketbridge.device.registry}). How many active devices a user may have is
 * a protocol limit the gateway publishes ({@code pocketbridge.limits.max-devices-per-user},
 * {@link dev.pocketbridge.kafka.ProtocolLimitsProperties}).
 *
 * @param maxNameCodePoints longest device name, in Unicode code points after normalisation
 */
@ConfigurationProperties("pocketbridge.device.registry")
@Validated
record RegistryProperties(
        @DefaultValue("50") @Min(1) @Max(1000) int maxNameCodePoints) {
}
