package dev.pocketbridge.gateway.routing;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.pocketbridge.kafka.ListenerContainers;

/** The account changes listener's own container (no retries: whatever escapes is logged and skipped) and its readiness. */
@Configuration(proxyBeanMethods = false)
class AccountChangesConfiguration {

    static final String CONTAINER_FACTORY = "accountChangesContainerFactory";

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> accountChangesContainerFactory(
            ConsumerFactory<Object, Object> consumerFactory) {
        // A record that cannot be acted on is skipped: a closing account must never wait behind it.
        return ListenerContainers.bestEffort(consumerFactory);
    }

    /**
     * Part of readiness: a node is ready only once its account changes consumer joined its group and
     * runs, so no session is established that a revocation published from then on would miss.
     */
    @Bean("accounts")
    HealthIndicator accountsReadiness(AccountChangesListener listener, KafkaListenerEndpointRegistry listeners) {
        return () -> {
            MessageListenerContainer container = listeners.getListenerContainer(AccountChangesListener.ID);
            if (container != null && container.isRunning() && listener.isJoined()) {
                return Health.up().build();
            }
            return Health.down().withDetail("reason", "account changes consumer not running or not in its group")
                    .build();
        };
    }
}
