package dev.pocketbridge.relay.presence;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;

import dev.pocketbridge.kafka.ListenerContainers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The presence listener's own container (no retries, no dead letters), the map's size gauge, the newest events. */
@Configuration(proxyBeanMethods = false)
class PresenceConfiguration {

    static final String CONTAINER_FACTORY = "presenceListenerContainerFactory";

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> presenceListenerContainerFactory(
            ConsumerFactory<Object, Object> consumerFactory, PresenceProperties properties) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = ListenerContainers.compactedView(consumerFactory);
        // Idle events drive the catch-up check when the topic is quiet or empty.
        factory.getContainerProperties().setIdleEventInterval(properties.idleCheckInterval().toMillis());
        return factory;
    }

    @Bean
    LatestEvents latestEvents(PresenceProperties properties, Clock clock) {
        return new LatestEvents(properties.latestEventsCapacity(), clock);
    }

    @Bean
    Gauge presenceSessionsGauge(MeterRegistry registry, PresenceMap presence) {
        return Gauge.builder("relay.presence.sessions", presence, PresenceMap::size)
                .description("Online sessions in this instance's presence view")
                .register(registry);
    }
}
