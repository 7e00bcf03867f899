package dev.pocketbridge.auth.refresh;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Refresh tokens ({@code pocketbridge.auth.refresh}).
 *
 * @param ttl lifetime of each refresh token (every rotation issues a new one with a full lifetime)
 * @param bytes random bytes per refresh token
 * @param purgeInterval pause between two purges of expired refresh tokens and emptied families
 * @param purgeBatchSize rows deleted per purge statement
 * @param purgeMaxBatches statements per table per purge run at most
 */
@ConfigurationProperties("pocketbridge.auth.refresh")
@Validated
record RefreshProperties(
        @DefaultValue("30d") @NotNull Duration ttl,
        @DefaultValue("32") @Min(16) @Max(64) int bytes,
        @DefaultValue("1h") @NotNull Duration purgeInterval,
        @DefaultValue("1000") @Min(1) int purgeBatchSize,
        @DefaultValue("100") @Min(1) int purgeMaxBatches) {
}
