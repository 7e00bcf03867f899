package dev.pocketbridge.device.presence;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Presence settings ({@code pocketbridge.device.presence}).
 *
 * @param groupPrefix prefix of this instance's own consumer group on {@code presence} (a random UUID is appended)
 * @param nodeTimeout a gateway node not heard from for this long counts as gone, with its sessions;
 *     gateways announce themselves every {@code pocketbridge.gateway.routing.presence-heartbeat-interval}
 *     (20 s), so this must be well above that
 */
@ConfigurationProperties("pocketbridge.device.presence")
@Validated
record PresenceProperties(
        @DefaultValue("device-presence-") @NotBlank String groupPrefix,
        @DefaultValue("60s") @NotNull Duration nodeTimeout) {
}
