package dev.pocketbridge.event.ingest;

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
import dev.pocketbridge.event.log.MalformedInboundException;
import dev.pocketbridge.kafka.ConsumerProgress;
import dev.pocketbridge.kafka.DeadLetters;
import dev.pocketbridge.kafka.Deliveries;
import dev.pocketbridge.kafka.OrderedConsumption;
import dev.pocketbridge.kafka.PocketBridgeKafkaProperties;
import dev.pocketbridge.kafka.TopicDeclarations;
import dev.pocketbridge.kafka.TopicRetentionProperties;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;

/** The topics this service creates (each with its stated retention) and the ordered, dead-lettering error handling of its listeners. */
@Configuration(proxyBeanMethods = false)
public class KafkaConfiguration {

    @Bean
    NewTopic eventsStoredTopic(IngestProperties properties, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.EVENTS_STORED, properties.storedPartitions(), retention.eventsStored(),
                retention.eventsStoredBytes());
    }

    /** Relay-service declares it too: whichever starts first creates it. */
    @Bean
    NewTopic deliveriesTopic(Deliveries deliveries, TopicRetentionProperties retention) {
        return deliveries.topic(retention);
    }

    @Bean
    NewTopic inboundDeadLetterTopic(IngestProperties properties, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.EVENTS_INBOUND + Topics.DEAD_LETTER_SUFFIX,
                properties.deadLetterPartitions(), retention.deadLetters());
    }

    @Bean
    NewTopic acksDeadLetterTopic(IngestProperties properties, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.ACKS + Topics.DEAD_LETTER_SUFFIX, properties.deadLetterPartitions(),
                retention.deadLetters());
    }

    /** Records no retry can help (unreadable JSON, malformed ids): the listeners dead-letter them in place. */
    public static final DeadLetters UNPROCESSABLE = new DeadLetters(JacksonException.class, MalformedInboundException.class);

    /** A failed batch is retried whole, in order, until it succeeds. */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(PocketBridgeKafkaProperties kafka) {
        return OrderedConsumption.errorHandler(kafka.retry());
    }

    /** Readiness ("consumers") and metrics: are the ordered listeners running and keeping up? */
    @Bean("consumers")
    ConsumerProgress consumerProgress(KafkaListenerEndpointRegistry registry, KafkaAdmin admin,
            ConsumerProgress.Settings settings, Clock clock, MeterRegistry meters) {
        return new ConsumerProgress(Set.of(InboundEventListener.ID, "event-service-acks"), registry::getListenerContainer,
                Admin.create(admin.getConfigurationProperties()), settings, clock, meters);
    }
}
