package dev.pocketbridge.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.MalformedAccountChangeException;
import tools.jackson.core.JacksonException;

/**
 * Which failures make a record unprocessable: no retry can make it acceptable (unreadable JSON,
 * malformed ids). A batch listener reads its records with {@link #readEach}, which sends such a
 * record to {@code <topic>.dlt} and goes on with the rest of the batch.
 */
public final class DeadLetters {

    /** What no retry helps in an account-change record ({@link AccountChange#read}): dead-lettered in place. */
    public static final DeadLetters ACCOUNT_CHANGES = new DeadLetters(JacksonException.class,
            MalformedAccountChangeException.class);

    private final List<Class<? extends Throwable>> unprocessable;

    @SafeVarargs
    public DeadLetters(Class<? extends Throwable>... unprocessable) {
        this.unprocessable = List.of(unprocessable);
    }

    /** Whether {@code error} or one of its causes is of an unprocessable type. */
    public boolean isUnprocessable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Class<?> type = t.getClass();
            if (unprocessable.stream().anyMatch(u -> u.isAssignableFrom(type))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads every record of a batch with {@code reader}, in order. A record the reader fails with an
     * unprocessable error is dead-lettered through {@code sends} and left out, so the records around
     * it keep their order; any other failure fails the whole batch.
     */
    public <T> List<T> readEach(List<ConsumerRecord<String, String>> records, BatchSends sends,
            Function<ConsumerRecord<String, String>, T> reader) {
        List<T> read = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            try {
                read.add(reader.apply(record));
            } catch (RuntimeException e) {
                if (!isUnprocessable(e)) {
                    throw e;
                }
                sends.deadLetter(record, e);
            }
        }
        return read;
    }
}
