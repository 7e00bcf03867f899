package dev.pocketbridge.event.log;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The event log ({@code pocketbridge.event.log}).
 *
 * @param maxPayloadBytes largest decoded {@code encrypted_payload} stored
 * @param clockSkew how far in the past {@code expires_at} may be and the event still be accepted
 * @param quotaBytes the most a user's stored events may count (payload bytes plus
 *     {@link EventLog#EVENT_OVERHEAD_BYTES} each); an event that would pass it is rejected
 *     {@code quota_exceeded}
 */
@ConfigurationProperties("pocketbridge.event.log")
@Validated
public record LogProperties(
        @DefaultValue("1048576") @Min(1) long maxPayloadBytes,
        @DefaultValue("5m") @NotNull Duration clockSkew,
        @DefaultValue("1073741824") @Min(0) long quotaBytes) {
}
