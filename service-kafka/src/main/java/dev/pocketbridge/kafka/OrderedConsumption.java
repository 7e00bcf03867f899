package dev.pocketbridge.kafka;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/**
 * The error handling of every ordered batch consumer. Each listener dead-letters the records that
 * can never succeed itself ({@link DeadLetters}), in place, so the records around them keep their
 * order. Whatever else fails a batch (the database or the broker away) fails it whole, and the
 * whole batch is retried in place, in order, with an exponential back-off capped at
 * {@code maxInterval}, for as long as it takes: skipping a valid record would let the user's later
 * records overtake it, and retry topics would reorder the partition.
 */
public final class OrderedConsumption {

    private OrderedConsumption() {
    }

    /**
     * {@code pocketbridge.kafka.retry} ({@link PocketBridgeKafkaProperties#retry()}).
     *
     * @param initialInterval first pause before a failed batch is retried
     * @param multiplier      growth of the pause between retries
     * @param maxInterval     longest pause between retries
     */
    public record Retry(
            @DefaultValue("200ms") @NotNull Duration initialInterval,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("5s") @NotNull Duration maxInterval) {
    }

    public static DefaultErrorHandler errorHandler(Retry retry) {
        ExponentialBackOff backOff = new ExponentialBackOff();
        backOff.setInitialInterval(retry.initialInterval().toMillis());
        backOff.setMultiplier(retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            // Unreachable with an endless back-off; never skip a record silently if it were reached.
            throw new IllegalStateException("an ordered batch is never given up", exception);
        }, backOff);
        // Every failure is retried: the defaults would skip a whole batch for, say, a ClassCastException.
        handler.setClassifications(Map.of(), true);
        return handler;
    }
}
