package dev.pocketbridge.web;

import java.time.Clock;
import java.time.Duration;

import dev.pocketbridge.common.limits.KeyedBuckets;

/**
 * A servlet service's rate limit ({@link KeyedBuckets}): one bucket per key (a user, or one key for
 * a limit of the whole service), refused with {@code 429 rate_limited} and the wait as {@code Retry-After}.
 */
public final class TokenBuckets {

    private final KeyedBuckets buckets;

    public TokenBuckets(long capacity, Duration period, int maxKeys, Clock clock) {
        this.buckets = new KeyedBuckets(capacity, period, maxKeys, clock);
    }

    /** Takes one request from {@code key}'s bucket, or throws {@code 429 rate_limited} with the wait until one is free. */
    public void take(String key) {
        Duration wait = buckets.tryTake(key);
        if (wait != null) {
            throw ApiException.rateLimited(wait);
        }
    }
}
