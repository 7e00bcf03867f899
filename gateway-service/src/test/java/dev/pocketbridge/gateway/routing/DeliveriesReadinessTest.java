package dev.pocketbridge.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class DeliveriesReadinessTest {

    private final DeliveriesConsumer consumer = mock(DeliveriesConsumer.class);
    private final DeliveriesReadiness readiness = new DeliveriesReadiness(consumer);

    @Test
    void readyOnlyWhileTheDeliveriesConsumerIsAssignedRunningAndPolling() {
        when(consumer.isHealthy()).thenReturn(false);
        assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(readiness.health().getDetails()).containsEntry("reason", "deliveries partition not assigned");

        when(consumer.isAssigned()).thenReturn(true);
        assertThat(readiness.health().getDetails()).containsEntry("reason", "deliveries consumer stopped or stalled");

        when(consumer.isHealthy()).thenReturn(true);
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
    }
}
