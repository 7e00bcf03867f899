package dev.pocketbridge.device.pairing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Pairing codes and tokens ({@code pocketbridge.device.pairing}).
 *
 * @param codeTtl how long a pairing code can be looked up after it was made
 * @param tokenTtl how long the pairing token a lookup returns can be used to register
 * @param maxPayloadBytes largest decoded {@code encrypted_payload} of a pairing code
 * @param tokenBytes random bytes per pairing token
 * @param purgeInterval pause between two purges of expired codes and tokens
 * @param purgeBatchSize rows deleted per purge statement
 * @param purgeMaxBatches statements per table per purge run at most, so one run stays bounded
 * @param lookupLimit code lookups this instance answers per {@code lookupPeriod}, from all clients
 *        together: the brute-force guard that holds however many addresses (and gateway nodes) the
 *        guesses come from; beyond it every lookup is {@code 429 rate_limited}
 * @param lookupPeriod how long the lookup guard takes to refill completely
 */
@ConfigurationProperties("pocketbridge.device.pairing")
@Validated
record PairingProperties(
        @DefaultValue("5m") @NotNull Duration codeTtl,
        @DefaultValue("10m") @NotNull Duration tokenTtl,
        @DefaultValue("8192") @Min(1) int maxPayloadBytes,
        @DefaultValue("32") @Min(16) int tokenBytes,
        @DefaultValue("60s") @NotNull Duration purgeInterval,
        @DefaultValue("1000") @Min(1) int purgeBatchSize,
        @DefaultValue("100") @Min(1) int purgeMaxBatches,
        @DefaultValue("60") @Min(1) int lookupLimit,
        @DefaultValue("1m") @NotNull Duration lookupPeriod) {
}
