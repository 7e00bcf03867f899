package dev.pocketbridge.device.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Account changes ({@code pocketbridge.device.accounts}).
 *
 * @param outboxInterval how often the outbox is checked for changes the broker has not taken yet
 *     (each change is also published right after it commits)
 * @param sendTimeout    longest wait for the broker to acknowledge one batch of changes
 * @param partitions     partitions of {@code devices}, {@code devices.credentials} and {@code users} when
 *     this service creates them
 */
@ConfigurationProperties("pocketbridge.device.accounts")
@Validated
record AccountProperties(
        @DefaultValue("1s") @NotNull Duration outboxInterval,
        @DefaultValue("10s") @NotNull Duration sendTimeout,
        @DefaultValue("4") @Min(1) int partitions) {
}
