package dev.pocketbridge.event.ingest;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.event.log.MalformedInboundException;
import dev.pocketbridge.kafka.OrderedConsumption;
import dev.pocketbridge.kafka.TopicDeclarations;
import tools.jackson.core.JacksonException;

/** The topics this service creates and the ordered, dead-lettering error handling of its listeners. */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    @Bean
    NewTopic eventsStoredTopic(IngestProperties properties) {
        return TopicDeclarations.topic(Topics.EVENTS_STORED, properties.storedPartitions());
    }

    @Bean
    NewTopic deliveriesTopic(KafkaTopicsProperties topics) {
        return TopicDeclarations.topic(Topics.DELIVERIES, topics.deliveriesPartitions());
    }

    @Bean
    NewTopic inboundDeadLetterTopic(IngestProperties properties) {
        return TopicDeclarations.topic(Topics.EVENTS_INBOUND + Topics.DEAD_LETTER_SUFFIX, properties.deadLetterPartitions());
    }

    @Bean
    NewTopic acksDeadLetterTopic(IngestProperties properties) {
        return TopicDeclarations.topic(Topics.ACKS + Topics.DEAD_LETTER_SUFFIX, properties.deadLetterPartitions());
    }

    /** Ordered, dead-lettering error handling; unreadable JSON and malformed ids are never retried. */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, String> template, IngestProperties properties) {
        return OrderedConsumption.errorHandler(template, new OrderedConsumption.Retry(properties.retryInitialInterval(),
                properties.retryMultiplier(), properties.retryMaxInterval()),
                JacksonException.class, MalformedInboundException.class);
    }
}
