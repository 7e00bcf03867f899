package dev.pocketbridge.relay.fanout;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.OrderedConsumption;
import dev.pocketbridge.kafka.TopicDeclarations;
import tools.jackson.core.JacksonException;

/** The topics this service declares and the ordered, dead-lettering error handling of {@code events.stored}. */
@Configuration(proxyBeanMethods = false)
class FanoutConfiguration {

    /** Same declaration as event-service's: whichever starts first creates it. */
    @Bean
    NewTopic deliveriesTopic(KafkaTopicsProperties topics) {
        return TopicDeclarations.topic(Topics.DELIVERIES, topics.deliveriesPartitions());
    }

    @Bean
    NewTopic storedDeadLetterTopic(FanoutProperties properties) {
        return TopicDeclarations.topic(Topics.EVENTS_STORED + Topics.DEAD_LETTER_SUFFIX, properties.deadLetterPartitions());
    }

    /**
     * Blocking retries keep {@code events.stored} in order (no retry topics); after the bounded back-off
     * the record goes to {@code events.stored.dlt}. Unreadable or incomplete records never get better.
     * The presence listener has its own container factory, so this handler serves the fan-out only.
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, String> template, FanoutProperties properties) {
        return OrderedConsumption.errorHandler(template, new OrderedConsumption.Retry(properties.retryInitialInterval(),
                properties.retryMultiplier(), properties.retryMaxInterval()),
                JacksonException.class, MalformedStoredEventException.class);
    }
}
