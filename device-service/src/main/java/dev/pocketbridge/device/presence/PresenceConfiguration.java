package dev.pocketbridge.device.presence;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;

import dev.pocketbridge.kafka.ListenerContainers;

/** The presence view and its listener's container: batches, no retries, no committed offsets. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PresenceProperties.class)
class PresenceConfiguration {

    static final String CONTAINER_FACTORY = "presenceListenerContainerFactory";

    @Bean
    DevicePresence devicePresence(Clock clock, PresenceProperties properties) {
        return new DevicePresence(clock, properties.nodeTimeout());
    }

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> presenceListenerContainerFactory(
            ConsumerFactory<Object, Object> consumerFactory) {
        // Presence is best effort: a failure is logged and the batch skipped; the topic never blocks.
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = ListenerContainers.compactedView(consumerFactory);
        factory.setBatchListener(true);
        return factory;
    }
}
