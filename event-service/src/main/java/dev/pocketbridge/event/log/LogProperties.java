package dev.pocketbridge.event.log;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;

/**
 * The event log ({@code pocketbridge.event.log}).
 *
 * The largest payload and the clock skew tolerance are protocol limits the gateway applies too
 * ({@code pocketbridge.limits}, {@link dev.pocketbridge.kafka.ProtocolLimitsProperties}).
 *
 * @param quotaBytes the most a user's stored events may count (payload bytes plus
 *     {@link EventLog#EVENT_OVERHEAD_BYTES} each); an event that would pass it is rejected
 *     {@code quota_exceeded}
 */
@ConfigurationProperties("pocketbridge.event.log")
@Validated
public record LogProperties(
        @DefaultValue("1073741824") @Min(0) long quotaBytes) {
}
