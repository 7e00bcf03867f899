package dev.pocketbridge.gateway.handshake;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How the gateway keeps device-service's answers about devices for later handshakes
 * ({@code pocketbridge.gateway.device-cache}; {@link DeviceDirectory}).
 *
 * @param ttl        how long an answer is reused at most; every account change of the device or its
 *                   user ends it at once, so this only bounds how long a change this node did not
 *                   hear of (its account consumer down) goes unseen. 0: every handshake asks.
 * @param maxDevices the most devices kept (the least recently used go first)
 */
@Validated
@ConfigurationProperties("pocketbridge.gateway.device-cache")
record DeviceCacheProperties(@NotNull @DefaultValue("5m") Duration ttl, @Min(0) @DefaultValue("100000") long maxDevices) {
}
