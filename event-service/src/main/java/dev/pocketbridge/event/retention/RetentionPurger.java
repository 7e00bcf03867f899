package dev.pocketbridge.event.retention;

import java.time.Clock;
import java.time.Instant;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.pocketbridge.event.log.LogPurges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every {@code purge-interval}, deletes the events past the retention period and those whose own
 * {@code expires_at} passed more than {@code expired-grace} ago, each in transactions of at most
 * {@code purge-batch-size} events (at most {@code purge-max-batches} of them per run), so no
 * transaction is long and none locks a user's head row: appends go on meanwhile. The freed bytes
 * leave the users' quota usage in the same transactions.
 */
@Component
class RetentionPurger implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurger.class);

    private final LogPurges purges;
    private final RetentionProperties properties;
    private final Clock clock;
    private final Counter retained;
    private final Counter expired;

    RetentionPurger(LogPurges purges, RetentionProperties properties, Clock clock, MeterRegistry registry) {
        this.purges = purges;
        this.properties = properties;
        this.clock = clock;
        this.retained = purgedCounter(registry, "retention");
        this.expired = purgedCounter(registry, "expired");
    }

    private static Counter purgedCounter(MeterRegistry registry, String reason) {
        return Counter.builder("pocketbridge.events.purged").tag("reason", reason)
                .description("Events deleted from the log by the retention purge").register(registry);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::purge, properties.purgeInterval());
    }

    /** One run; @return how many events were deleted */
    public long purge() {
        Instant now = clock.instant();
        Instant storedBefore = now.minus(properties.period());
        Instant expiredBefore = now.minus(properties.expiredGrace());
        long old = drain(limit -> purges.purgeCreatedBefore(storedBefore, limit));
        long gone = drain(limit -> purges.purgeExpiredBefore(expiredBefore, limit));
        retained.increment(old);
        expired.increment(gone);
        if (old + gone > 0) {
            log.info("purged {} events stored before {} and {} expired before {}", old, storedBefore, gone,
                    expiredBefore);
        }
        return old + gone;
    }

    /** Batches until one comes back short or the run's budget is spent; the next run goes on. */
    private long drain(IntFunction<LogPurges.Purged> batch) {
        long total = 0;
        for (int i = 0; i < properties.purgeMaxBatches(); i++) {
            int deleted = batch.apply(properties.purgeBatchSize()).events();
            total += deleted;
            if (deleted < properties.purgeBatchSize()) {
                break;
            }
        }
        return total;
    }
}
