package dev.pocketbridge.relay.presence;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Presence view settings ({@code pocketbridge.relay.presence}).
 *
 * @param groupPrefix       prefix of the per-instance consumer group id (a random UUID is appended)
 * @param accountsGroupPrefix prefix of the per-instance group id of the account changes consumer (a random UUID is appended)
 * @param idleCheckInterval how long the presence consumer must see no records before it checks whether it caught up
 * @param catchUpTimeout    longest wait for the view to catch up before fan-out starts anyway
 * @param latestEventsCapacity users whose newest event's coordinates are kept to bring newly opened sessions up to date
 * @param newestEventQueueCapacity newly opened sessions waiting for their user's newest event to be read back
 *     from {@code events.stored}; more are skipped
 * @param newestEventReadTimeout longest wait for one such read
 */
@ConfigurationProperties("pocketbridge.relay.presence")
@Validated
record PresenceProperties(
        @DefaultValue("relay-presence-") @NotBlank String groupPrefix,
        @DefaultValue("relay-accounts-") @NotBlank String accountsGroupPrefix,
        @DefaultValue("500ms") @NotNull Duration idleCheckInterval,
        @DefaultValue("10s") @NotNull Duration catchUpTimeout,
        @DefaultValue("100000") @Min(1) int latestEventsCapacity,
        @DefaultValue("1000") @Min(1) int newestEventQueueCapacity,
        @DefaultValue("5s") @NotNull Duration newestEventReadTimeout) {
}
