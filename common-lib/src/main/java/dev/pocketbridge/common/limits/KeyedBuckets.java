package dev.pocketbridge.common.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * One Bucket4j token bucket per key (a client address, a device), {@code capacity} requests
 * refilled evenly over {@code period}, on the injected clock. At most {@code maxKeys} buckets are
 * kept (keys are chosen by clients), the least recently used evicted first, and a bucket unused for
 * a whole period is dropped: it would be full again anyway. Every rate limit counts with it: the
 * gateway's (REST per address, WebSocket per address and per device) and the services' (per user,
 * the pairing-lookup guard). Bucket4j and Caffeine are optional dependencies of common-lib: a
 * module that uses this declares them.
 */
public final class KeyedBuckets {

    private final Cache<String, Bucket> buckets;
    private final long capacity;
    private final Duration period;
    private final TimeMeter time;

    public KeyedBuckets(long capacity, Duration period, long maxKeys, Clock clock) {
        this.capacity = capacity;
        this.period = period;
        this.time = new ClockTimeMeter(clock);
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(period)
                .ticker(time::currentTimeNanos).build();
    }

    /** Takes one request from {@code key}'s bucket: null when allowed, else how long until one is. */
    public Duration tryTake(String key) {
        ConsumptionProbe probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? null : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                .withCustomTimePrecision(time)
                .build();
    }

    /** Bucket4j's time source from a {@link Clock}, so tests move it by hand. */
    record ClockTimeMeter(Clock clock) implements TimeMeter {

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
