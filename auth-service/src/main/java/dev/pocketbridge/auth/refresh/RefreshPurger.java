package dev.pocketbridge.auth.refresh;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.pocketbridge.jpa.BoundedPurge;

/** Removes expired refresh tokens and emptied families in bounded batches, every {@code purge-interval}. */
@Component
class RefreshPurger implements SchedulingConfigurer {

    private final RefreshTokenStore store;
    private final RefreshProperties properties;

    RefreshPurger(RefreshTokenStore store, RefreshProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::purge, properties.purgeInterval());
    }

    /** @return how many expired tokens and emptied families were deleted */
    int purge() {
        return BoundedPurge.run(properties.purgeBatchSize(), properties.purgeMaxBatches(), store::purgeExpiredTokens)
                + BoundedPurge.run(properties.purgeBatchSize(), properties.purgeMaxBatches(), store::purgeEmptyFamilies);
    }
}
