package dev.pocketbridge.kafka;

import java.time.Duration;

import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;

import org.springframework.util.backoff.ExponentialBackOff;

import dev.pocketbridge.common.kafka.Topics;

/**
 * The error handling of every ordered consumer. A record that can never succeed (unreadable JSON,
 * malformed ids: the {@code neverRetried} types) goes straight to {@code <topic>.dlt}. Any other
 * failure (the database or the broker away) is retried in place, with an exponential back-off
 * capped at {@code maxInterval}, for as long as it takes: skipping a valid record would let the
 * user's later records overtake it, and retry topics would reorder the partition.
 */
public final class OrderedConsumption {

    private OrderedConsumption() {
    }

    /**
     * @param initialInterval first pause before a failed record is retried
     * @param multiplier      growth of the pause between retries
     * @param maxInterval     longest pause between retries
     */
    public record Retry(Duration initialInterval, double multiplier, Duration maxInterval) {
    }

    @SafeVarargs
    public static DefaultErrorHandler errorHandler(KafkaOperations<?, ?> template, Retry retry,
            Class<? extends Exception>... neverRetried) {
        // Partition -1: the dead-letter topic need not have as many partitions as the source.
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + Topics.DEAD_LETTER_SUFFIX, -1));
        ExponentialBackOff backOff = new ExponentialBackOff();
        backOff.setInitialInterval(retry.initialInterval().toMillis());
        backOff.setMultiplier(retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(neverRetried);
        return handler;
    }
}
