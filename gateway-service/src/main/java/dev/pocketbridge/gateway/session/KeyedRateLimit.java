package dev.pocketbridge.gateway.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * One token bucket (Bucket4j) per key, such as a client address or a device: {@code capacity}
 * at once, refilled evenly over {@code window}. The buckets live in a Caffeine cache bounded to
 * {@code maxKeys}; a key unseen for a whole window is forgotten, which loses nothing because its
 * bucket would be full again by then.
 */
final class KeyedRateLimit {

    private final Cache<String, Bucket> buckets;
    private final long capacity;
    private final Duration window;
    private final TimeMeter time;

    KeyedRateLimit(long capacity, Duration window, long maxKeys, Clock clock) {
        this.capacity = capacity;
        this.window = window;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanos(clock);
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(window)
                .ticker(() -> nanos(clock))
                .build();
    }

    /** Takes a token of {@code key}: 0 when it was there, else the nanoseconds until one will be. */
    long tryAcquire(String key) {
        ConsumptionProbe probe = buckets.get(key, k -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
                        .withCustomTimePrecision(time)
                        .build())
                .tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    private static long nanos(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
