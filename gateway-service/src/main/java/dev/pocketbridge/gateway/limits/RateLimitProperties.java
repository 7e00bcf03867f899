package dev.pocketbridge.gateway.limits;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Per client address limits of the unauthenticated REST endpoints ({@code pocketbridge.gateway.rate-limits}),
 * token buckets that hold the named number of requests and refill it evenly over {@code period};
 * beyond them {@code 429 rate_limited} with {@code Retry-After}. Kept in this node's memory: see
 * docs/operations.md for several nodes.
 *
 * @param period how long a bucket takes to refill completely
 * @param challenge requests to {@code POST /api/v1/auth/challenge} per address and period
 * @param register requests to {@code POST /api/v1/devices/register} per address and period
 * @param token requests to {@code POST /api/v1/auth/token} per address and period
 * @param refresh requests to {@code POST /api/v1/auth/refresh} per address and period
 * @param pairingLookup requests to {@code GET /api/v1/pairing/{code}} per address and period
 * @param trustedProxies addresses or CIDR blocks of the reverse proxies in front of the gateway,
 *        whose {@code X-Forwarded-For} is believed; empty: the TCP peer is the client
 * @param ipv6PrefixLength IPv6 clients are counted per network of this prefix (one subscriber
 *        usually holds a whole /64)
 * @param maxTrackedClients how many addresses each limit remembers; the least recently seen are
 *        forgotten first
 */
@Validated
@ConfigurationProperties("pocketbridge.gateway.rate-limits")
public record RateLimitProperties(
        @NotNull @DefaultValue("1m") Duration period,
        @Min(1) @DefaultValue("20") int challenge,
        @Min(1) @DefaultValue("10") int register,
        @Min(1) @DefaultValue("20") int token,
        @Min(1) @DefaultValue("20") int refresh,
        @Min(1) @DefaultValue("10") int pairingLookup,
        @NotNull @DefaultValue List<String> trustedProxies,
        @Min(1) @Max(128) @DefaultValue("64") int ipv6PrefixLength,
        @Min(1) @DefaultValue("100000") int maxTrackedClients) {
}
