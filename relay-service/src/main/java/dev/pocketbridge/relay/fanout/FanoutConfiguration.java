package dev.pocketbridge.relay.fanout;

import java.time.Clock;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.ConsumerProgress;
import dev.pocketbridge.kafka.DeadLetters;
import dev.pocketbridge.kafka.Deliveries;
import dev.pocketbridge.kafka.OrderedConsumption;
import dev.pocketbridge.kafka.PocketBridgeKafkaProperties;
import dev.pocketbridge.kafka.TopicDeclarations;
import dev.pocketbridge.kafka.TopicRetentionProperties;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;

/** The topics this service declares (each with its stated retention) and the ordered, dead-lettering error handling of {@code events.stored}. */
@Configuration(proxyBeanMethods = false)
class FanoutConfiguration {

    /** Event-service declares it too: whichever starts first creates it. */
    @Bean
    NewTopic deliveriesTopic(Deliveries deliveries, TopicRetentionProperties retention) {
        return deliveries.topic(retention);
    }

    @Bean
    NewTopic storedDeadLetterTopic(FanoutProperties properties, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.EVENTS_STORED + Topics.DEAD_LETTER_SUFFIX,
                properties.deadLetterPartitions(), retention.deadLetters());
    }

    /** Records no retry can help (unreadable or incomplete): the listener dead-letters them in place. */
    static final DeadLetters UNPROCESSABLE = new DeadLetters(JacksonException.class, MalformedStoredEventException.class);

    /**
     * A failed batch (the broker away) is retried whole, in order, until it succeeds: no retry topics,
     * so {@code events.stored} keeps its order. The presence listener has its own container factory,
     * so this handler serves the fan-out only.
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(PocketBridgeKafkaProperties kafka) {
        return OrderedConsumption.errorHandler(kafka.retry());
    }

    /** Readiness ("consumers") and metrics: are the ordered listeners running and keeping up? */
    @Bean("consumers")
    ConsumerProgress consumerProgress(KafkaListenerEndpointRegistry registry, KafkaAdmin admin,
            ConsumerProgress.Settings settings, Clock clock, MeterRegistry meters) {
        return new ConsumerProgress(Set.of(StoredEventListener.ID), registry::getListenerContainer,
                Admin.create(admin.getConfigurationProperties()), settings, clock, meters);
    }
}
