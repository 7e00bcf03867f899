package dev.pocketbridge.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * One Bucket4j token bucket per key (a user, or one key for a limit of the whole service):
 * {@code capacity} requests refilled evenly over {@code period}, on the injected clock. At most
 * {@code maxKeys} buckets are kept, the least recently used evicted first, and a bucket unused for a
 * whole period is dropped: it would be full again anyway.
 */
public final class TokenBuckets {

    private final Cache<String, Bucket> buckets;
    private final long capacity;
    private final Duration period;
    private final TimeMeter time;

    public TokenBuckets(long capacity, Duration period, int maxKeys, Clock clock) {
        this.capacity = capacity;
        this.period = period;
        this.time = new ClockTimeMeter(clock);
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(period).build();
    }

    /** Takes one request from {@code key}'s bucket, or throws {@code 429 rate_limited} with the wait until one is free. */
    public void take(String key) {
        ConsumptionProbe probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw ApiException.rateLimited(Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                .withCustomTimePrecision(time)
                .build();
    }

    /** Bucket4j's time source from a {@link Clock}, so tests move it by hand. */
    private record ClockTimeMeter(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
