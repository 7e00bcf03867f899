package dev.pocketbridge.relay.fanout;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

import dev.pocketbridge.common.kafka.Topics;
import tools.jackson.core.JacksonException;

/** The topics this service declares and the ordered, dead-lettering error handling of {@code events.stored}. */
@Configuration(proxyBeanMethods = false)
class FanoutConfiguration {

    /** Large enough for the biggest accepted event (1 MiB payload as base64url, plus envelope). */
    static final String MAX_MESSAGE_BYTES = "4194304";

    /** Same declaration as event-service's: whichever starts first creates it. */
    @Bean
    NewTopic deliveriesTopic(KafkaTopicsProperties topics) {
        return topic(Topics.DELIVERIES, topics.deliveriesPartitions());
    }

    @Bean
    NewTopic storedDeadLetterTopic(FanoutProperties properties) {
        return topic(Topics.EVENTS_STORED + Topics.DEAD_LETTER_SUFFIX, properties.deadLetterPartitions());
    }

    private static NewTopic topic(String name, int partitions) {
        return TopicBuilder.name(name).partitions(partitions).config("max.message.bytes", MAX_MESSAGE_BYTES).build();
    }

    /**
     * Blocking retries keep {@code events.stored} in order (no retry topics); after the bounded back-off
     * the record goes to {@code events.stored.dlt}. Unreadable or incomplete records never get better.
     * The presence listener has its own container factory, so this handler serves the fan-out only.
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, String> template, FanoutProperties properties) {
        // Partition -1: the dead-letter topic need not have as many partitions as the source.
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + Topics.DEAD_LETTER_SUFFIX, -1));
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(properties.retryMaxAttempts());
        backOff.setInitialInterval(properties.retryInitialInterval().toMillis());
        backOff.setMultiplier(properties.retryMultiplier());
        backOff.setMaxInterval(properties.retryMaxInterval().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(JacksonException.class, MalformedStoredEventException.class);
        return handler;
    }
}
