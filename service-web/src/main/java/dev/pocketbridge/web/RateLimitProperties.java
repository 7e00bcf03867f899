package dev.pocketbridge.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The per-user limit of a service's REST API ({@code pocketbridge.web.rate-limits}): a token
 * bucket per user of a verified access token, holding {@code perUser} requests refilled evenly over
 * {@code period}; beyond it {@code 429 rate_limited} with {@code Retry-After}. Kept in this
 * instance's memory: see docs/operations.md for several instances.
 *
 * @param perUser requests per user and period to this service's {@code /api/**}
 * @param period how long a bucket takes to refill completely
 * @param maxTrackedUsers how many users' buckets are kept; the least recently seen are forgotten first
 */
@Validated
@ConfigurationProperties("pocketbridge.web.rate-limits")
public record RateLimitProperties(
        @Min(1) @DefaultValue("300") int perUser,
        @NotNull @DefaultValue("1m") Duration period,
        @Min(1) @DefaultValue("100000") int maxTrackedUsers) {
}
