package dev.pocketbridge.gateway.routing;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of readiness: a node is ready only once it reads its {@code deliveries} partition, so no
 * session can be established whose acks and events this node would not see.
 */
@Component("deliveries")
class DeliveriesReadiness implements HealthIndicator {

    private final DeliveriesConsumer consumer;

    DeliveriesReadiness(DeliveriesConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public Health health() {
        if (consumer.isHealthy()) {
            return Health.up().build();
        }
        return Health.down().withDetail("reason", consumer.isAssigned()
                ? "deliveries consumer stopped or stalled" : "deliveries partition not assigned").build();
    }
}
