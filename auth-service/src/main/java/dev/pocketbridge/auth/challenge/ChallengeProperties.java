package dev.pocketbridge.auth.challenge;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Challenges ({@code pocketbridge.auth.challenge}).
 *
 * @param ttl how long a challenge can be consumed after it was issued
 * @param bytes random bytes per challenge
 * @param purgeInterval pause between two purges of expired challenges
 * @param purgeBatchSize rows deleted per purge statement
 * @param purgeMaxBatches statements per purge run at most, so one run stays bounded
 */
@ConfigurationProperties("pocketbridge.auth.challenge")
@Validated
record ChallengeProperties(
        @DefaultValue("120s") @NotNull Duration ttl,
        @DefaultValue("32") @Min(16) @Max(64) int bytes,
        @DefaultValue("60s") @NotNull Duration purgeInterval,
        @DefaultValue("1000") @Min(1) int purgeBatchSize,
        @DefaultValue("100") @Min(1) int purgeMaxBatches) {
}
