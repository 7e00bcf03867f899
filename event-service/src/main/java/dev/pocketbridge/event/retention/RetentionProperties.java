package dev.pocketbridge.event.retention;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How long the log keeps events and how it purges them ({@code pocketbridge.event.retention}).
 *
 * @param period events stored longer ago than this are purged ({@code oldest_available_seq} moves past them)
 * @param expiredGrace events whose own {@code expires_at} passed longer ago than this are purged too
 *     (replay already skips them; the grace keeps a late resend answered {@code duplicate})
 * @param purgeInterval pause between two purge runs
 * @param purgeBatchSize events deleted per purge transaction, so each one is short
 * @param purgeMaxBatches transactions per kind of purge and run at most, so one run stays bounded
 */
@ConfigurationProperties("pocketbridge.event.retention")
@Validated
record RetentionProperties(
        @DefaultValue("30d") @NotNull @DurationMin(minutes = 1) Duration period,
        @DefaultValue("1d") @NotNull @DurationMin(seconds = 0) Duration expiredGrace,
        @DefaultValue("1m") @NotNull @DurationMin(seconds = 1) Duration purgeInterval,
        @DefaultValue("1000") @Min(1) int purgeBatchSize,
        @DefaultValue("100") @Min(1) int purgeMaxBatches) {
}
