package dev.pocketbridge.event.replay;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;

/**
 * Replay pages ({@code pocketbridge.event.replay}).
 *
 * @param defaultLimit events per page when the caller names no limit
 * @param maxLimit the largest limit a caller may ask for
 * @param maxPageBytes a page ends early (with {@code has_more}) once its events' encoded size would
 *     pass this, so it always fits a WebSocket frame ({@code max_frame_bytes}, 10 MiB); a page
 *     holds at least one event
 * @param tokenSecret HMAC key of continuation tokens, base64url (at least 32 bytes); when absent a
 *     random key per process, so tokens then fail after a restart or on another instance
 */
@ConfigurationProperties("pocketbridge.event.replay")
@Validated
record ReplayProperties(
        @DefaultValue("100") @Min(1) int defaultLimit,
        @DefaultValue("1000") @Min(1) int maxLimit,
        @DefaultValue("8388608") @Min(1) long maxPageBytes,
        String tokenSecret) {
}
