package dev.pocketbridge.kafka;

import java.time.Duration;

import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

import dev.pocketbridge.common.kafka.Topics;

/**
 * The error handling of every ordered consumer: blocking retries with a bounded exponential
 * back-off keep the partition in order (retry topics would reorder it), then the record goes to
 * {@code <topic>.dlt}. Records that can never succeed (unreadable JSON, malformed ids) skip the retries.
 */
public final class OrderedConsumption {

    private OrderedConsumption() {
    }

    /**
     * @param initialInterval first pause before a failed record is retried
     * @param multiplier      growth of the pause between retries
     * @param maxInterval     longest pause between retries
     * @param maxRetries      retries before the record goes to the dead-letter topic
     */
    public record Retry(Duration initialInterval, double multiplier, Duration maxInterval, int maxRetries) {
    }

    @SafeVarargs
    public static DefaultErrorHandler errorHandler(KafkaOperations<?, ?> template, Retry retry,
            Class<? extends Exception>... neverRetried) {
        // Partition -1: the dead-letter topic need not have as many partitions as the source.
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + Topics.DEAD_LETTER_SUFFIX, -1));
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(retry.maxRetries());
        backOff.setInitialInterval(retry.initialInterval().toMillis());
        backOff.setMultiplier(retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(neverRetried);
        return handler;
    }
}
