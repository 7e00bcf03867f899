package dev.pocketbridge.auth.refresh;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

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

    int purge() {
        int total = 0;
        for (int batch = 0; batch < properties.purgeMaxBatches(); batch++) {
            int deleted = store.purgeBatch(properties.purgeBatchSize());
            total += deleted;
            if (deleted == 0) {
                break;
            }
        }
        return total;
    }
}
