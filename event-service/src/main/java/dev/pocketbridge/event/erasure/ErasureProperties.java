package dev.pocketbridge.event.erasure;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Erasing users and devices ({@code pocketbridge.event.erasure}).
 *
 * @param tombstoneRetention how long the hash of an erased user's or removed device's id is kept, so
 *     that its events and acks still in {@code events.inbound} and {@code acks} are refused (both
 *     topics keep records 1 day); then it is purged
 * @param batchSize rows deleted per transaction while a user is erased (a user may have millions of
 *     events: each transaction stays short)
 * @param purgeInterval pause between two purges of expired tombstones
 */
@ConfigurationProperties("pocketbridge.event.erasure")
@Validated
record ErasureProperties(
        @DefaultValue("7d") @NotNull @DurationMin(minutes = 1) Duration tombstoneRetention,
        @DefaultValue("1000") @Min(1) int batchSize,
        @DefaultValue("1h") @NotNull @DurationMin(seconds = 1) Duration purgeInterval) {
}
