package dev.pocketbridge.relay.presence;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;

/**
 * Presence view settings ({@code pocketbridge.relay.presence}).
 *
 * @param groupPrefix prefix of the per-instance consumer group id (a random UUID is appended)
 */
@ConfigurationProperties("pocketbridge.relay.presence")
@Validated
record PresenceProperties(@DefaultValue("relay-presence-") @NotBlank String groupPrefix) {
}
