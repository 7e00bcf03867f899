package dev.pocketbridge.device.registry;

import java.time.Clock;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;

import dev.pocketbridge.kafka.ConsumerProgress;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The activity listener's progress ({@link ConsumerProgress}): reported in health and metrics
 * ({@code activity}) but not in readiness, since nothing device-service serves waits for
 * {@code last_activity}; and, like every static group member's, its container is started again
 * when it stopped after an error (fenced from its group when the broker restarted).
 */
@Configuration(proxyBeanMethods = false)
class ActivityConfiguration {

    @Bean("activity")
    ConsumerProgress activityProgress(KafkaListenerEndpointRegistry registry, KafkaAdmin admin,
            ConsumerProgress.Settings settings, Clock clock, MeterRegistry meters) {
        return new ConsumerProgress(Set.of(ActivityListener.ID), registry::getListenerContainer,
                Admin.create(admin.getConfigurationProperties()), settings, clock, meters);
    }
}
