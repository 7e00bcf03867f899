package dev.pocketbridge.auth.account;

import java.time.Clock;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.ConsumerProgress;
import dev.pocketbridge.kafka.GroupMembership;
import dev.pocketbridge.kafka.OrderedConsumption;
import dev.pocketbridge.kafka.TopicDeclarations;
import dev.pocketbridge.kafka.TopicRetentionProperties;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The account-change listener's ordered error handling, static group membership, dead-letter topics
 * (declared as event-service declares them: whichever starts first creates them) and progress:
 * reported in health and metrics ({@code accountChanges}) but not in readiness, because logins and
 * refreshes ask device-service themselves and do not wait for the listener.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ConsumerProgress.Settings.class, TopicRetentionProperties.class})
class AccountChangesConfiguration {

    @Bean
    NewTopic devicesDeadLetterTopic(AccountChangesProperties properties, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.DEVICES + Topics.DEAD_LETTER_SUFFIX, properties.deadLetterPartitions(),
                retention.deadLetters());
    }

    @Bean
    NewTopic usersDeadLetterTopic(AccountChangesProperties properties, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.USERS + Topics.DEAD_LETTER_SUFFIX, properties.deadLetterPartitions(),
                retention.deadLetters());
    }

    /** A failed poll is retried whole, in order, until it succeeds. */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(AccountChangesProperties properties) {
        return OrderedConsumption.errorHandler(new OrderedConsumption.Retry(properties.retryInitialInterval(),
                properties.retryMultiplier(), properties.retryMaxInterval()));
    }

    /** A consumer that closes leaves its group at once, though it is a static member (GroupMembership). */
    @Bean
    DefaultKafkaConsumerFactoryCustomizer leaveGroupOnClose() {
        return factory -> factory.addPostProcessor(GroupMembership.leaveOnClose());
    }

    @Bean("accountChanges")
    ConsumerProgress accountChangesProgress(KafkaListenerEndpointRegistry registry, KafkaAdmin admin,
            ConsumerProgress.Settings settings, Clock clock, MeterRegistry meters) {
        return new ConsumerProgress(Set.of(AccountChangeListener.ID), registry::getListenerContainer,
                Admin.create(admin.getConfigurationProperties()), settings, clock, meters);
    }
}
