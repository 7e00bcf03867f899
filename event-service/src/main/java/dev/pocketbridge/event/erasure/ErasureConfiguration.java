package dev.pocketbridge.event.erasure;

import java.time.Clock;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;

import dev.pocketbridge.kafka.ConsumerProgress;
import dev.pocketbridge.kafka.PocketBridgeKafkaProperties;
import dev.pocketbridge.kafka.TopicDeclarations;
import dev.pocketbridge.kafka.TopicRetentionProperties;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The dead-letter topics of the account-change listener, and its progress: reported in health and
 * metrics ({@code accountChanges}) but not in readiness, because erasing a user with many events
 * may rightly hold the listener's offsets for longer than the stall timeout, and serving the log
 * does not depend on it.
 */
@Configuration(proxyBeanMethods = false)
class ErasureConfiguration {

    /** Auth-service declares them too: whichever starts first creates them. */
    @Bean
    KafkaAdmin.NewTopics accountChangeDeadLetterTopics(PocketBridgeKafkaProperties kafka,
            TopicRetentionProperties retention) {
        return TopicDeclarations.accountChangeDeadLetters(kafka, retention);
    }

    @Bean("accountChanges")
    ConsumerProgress accountChangesProgress(KafkaListenerEndpointRegistry registry, KafkaAdmin admin,
            ConsumerProgress.Settings settings, Clock clock, MeterRegistry meters) {
        return new ConsumerProgress(Set.of(AccountChangeListener.ID), registry::getListenerContainer,
                Admin.create(admin.getConfigurationProperties()), settings, clock, meters);
    }
}
