package dev.pocketbridge.event.replay;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;

/**
 * Replay pages ({@code pocketbridge.event.replay}). How many events a page holds at most is a
 * protocol limit the gateway applies too ({@code pocketbridge.limits.replay-*},
 * {@link dev.pocketbridge.kafka.ProtocolLimitsProperties}).
 *
 * @param maxPageBytes a page ends early (with {@code has_more}) once its events' encoded size would
 *     pass this, so it always fits a WebSocket frame ({@code max_frame_bytes}, 10 MiB); a page
 *     holds at least one event
 * @param readAheadPages pages read ahead ({@link ReadAhead}) or held at most at a time, across users;
 *     each holds at most {@code maxPageBytes} of payload; 0 reads none ahead
 * @param readAheadMaxAge how long after its read began a page read ahead may still answer; later,
 *     the request reads the log itself
 * @param tokenSecret HMAC key of continuation tokens, base64url (at least 32 bytes); when absent a
 *     random key per process, so tokens then fail after a restart or on another instance
 */
@ConfigurationProperties("pocketbridge.event.replay")
@Validated
record ReplayProperties(
        @DefaultValue("8388608") @Min(1) long maxPageBytes,
        @DefaultValue("4") @Min(0) int readAheadPages,
        @DefaultValue("2s") Duration readAheadMaxAge,
        String tokenSecret) {
}
