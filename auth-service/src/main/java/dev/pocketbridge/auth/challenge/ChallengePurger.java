package dev.pocketbridge.auth.challenge;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.pocketbridge.jpa.BoundedPurge;

/** Removes expired challenges in bounded batches, every {@code purge-interval}. */
@Component
class ChallengePurger implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ChallengePurger.class);

    private final ChallengeRepository repository;
    private final ChallengeProperties properties;
    private final Clock clock;

    ChallengePurger(ChallengeRepository repository, ChallengeProperties properties, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::purge, properties.purgeInterval());
    }

    /** @return how many challenges were deleted */
    int purge() {
        Instant now = clock.instant();
        int total = BoundedPurge.run(properties.purgeBatchSize(), properties.purgeMaxBatches(),
                limit -> repository.purgeExpired(now, limit));
        if (total > 0) {
            log.debug("purged {} expired challenges", total);
        }
        return total;
    }
}
