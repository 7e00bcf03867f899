package dev.pocketbridge.auth.account;

import java.time.Clock;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;

import dev.pocketbridge.kafka.ConsumerProgress;
import dev.pocketbridge.kafka.OrderedConsumption;
import dev.pocketbridge.kafka.PocketBridgeKafkaProperties;
import dev.pocketbridge.kafka.TopicDeclarations;
import dev.pocketbridge.kafka.TopicRetentionProperties;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The account-change listener's ordered error handling, dead-letter topics (declared as event-service
 * declares them: whichever starts first creates them) and progress:
 * reported in health and metrics ({@code accountChanges}) but not in readiness, because logins and
 * refreshes ask device-service themselves and do not wait for the listener.
 */
@Configuration(proxyBeanMethods = false)
class AccountChangesConfiguration {

    @Bean
    KafkaAdmin.NewTopics accountChangeDeadLetterTopics(PocketBridgeKafkaProperties kafka,
            TopicRetentionProperties retention) {
        return TopicDeclarations.accountChangeDeadLetters(kafka, retention);
    }

    /** A failed poll is retried whole, in order, until it succeeds. */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(PocketBridgeKafkaProperties kafka) {
        return OrderedConsumption.errorHandler(kafka.retry());
    }

    @Bean("accountChanges")
    ConsumerProgress accountChangesProgress(KafkaListenerEndpointRegistry registry, KafkaAdmin admin,
            ConsumerProgress.Settings settings, Clock clock, MeterRegistry meters) {
        return new ConsumerProgress(Set.of(AccountChangeListener.ID), registry::getListenerContainer,
                Admin.create(admin.getConfigurationProperties()), settings, clock, meters);
    }
}
