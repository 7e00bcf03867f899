package dev.pocketbridge.gateway.handshake;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;

import dev.pocketbridge.kafka.ListenerContainers;

/** The credential view listener's own container: no retries, no offsets committed, idle events for the catch-up. */
@Configuration(proxyBeanMethods = false)
class CredentialViewConfiguration {

    static final String CONTAINER_FACTORY = "credentialViewContainerFactory";
    /** How often a quiet or empty topic is checked for the catch-up. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> credentialViewContainerFactory(
            ConsumerFactory<Object, Object> consumerFactory) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = ListenerContainers.compactedView(consumerFactory);
        factory.getContainerProperties().setIdleEventInterval(IDLE_CHECK.toMillis());
        return factory;
    }
}
