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
    void notReadyUntilTheDeliveriesPartitionIsAssigned() {
        when(consumer.isAssigned()).thenReturn(false);
        assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);

        when(consumer.isAssigned()).thenReturn(true);
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
    }
}
