package dev.pocketbridge.device.pairing;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.pocketbridge.jpa.BoundedPurge;

/**
 * Deletes expired pairing codes and tokens every {@code purge-interval}, in bounded batches
 * ({@link BoundedPurge}); they can never be used anyway.
 */
@Component
class PairingPurger implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(PairingPurger.class);

    private final PairingCodeRepository codes;
    private final PairingTokenRepository tokens;
    private final PairingProperties properties;
    private final Clock clock;

    PairingPurger(PairingCodeRepository codes, PairingTokenRepository tokens, PairingProperties properties,
            Clock clock) {
        this.codes = codes;
        this.tokens = tokens;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::purge, properties.purgeInterval());
    }

    /** @return how many codes and tokens were deleted */
    int purge() {
        Instant now = clock.instant();
        int deleted = BoundedPurge.run(properties.purgeBatchSize(), properties.purgeMaxBatches(),
                limit -> codes.purgeExpired(now, limit))
                + BoundedPurge.run(properties.purgeBatchSize(), properties.purgeMaxBatches(),
                        limit -> tokens.purgeExpired(now, limit));
        if (deleted > 0) {
            log.debug("purged {} expired pairing codes and tokens", deleted);
        }
        return deleted;
    }
}
