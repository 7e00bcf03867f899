package dev.pocketbridge.event.erasure;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.pocketbridge.event.log.Tombstones;

/**
 * Every {@code purge-interval}, deletes the tombstones older than {@code tombstone-retention}, in
 * transactions of at most {@code batch-size} rows per kind.
 */
@Component
class TombstonePurger implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(TombstonePurger.class);

    private final Tombstones tombstones;
    private final ErasureProperties properties;
    private final Clock clock;

    TombstonePurger(Tombstones tombstones, ErasureProperties properties, Clock clock) {
        this.tombstones = tombstones;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::purge, properties.purgeInterval());
    }

    /** One run; @return how many tombstones were deleted */
    public long purge() {
        Instant cutoff = clock.instant().minus(properties.tombstoneRetention());
        long total = 0;
        int deleted;
        do {
            deleted = tombstones.purgeBefore(cutoff, properties.batchSize());
            total += deleted;
        } while (deleted > 0);
        if (total > 0) {
            log.info("purged {} erasure tombstones made before {}", total, cutoff);
        }
        return total;
    }
}
