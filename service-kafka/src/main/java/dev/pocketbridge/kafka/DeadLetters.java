package dev.pocketbridge.kafka;

import java.util.List;

/**
 * Which failures make a record unprocessable: no retry can make it acceptable (unreadable JSON,
 * malformed ids). A batch listener sends such a record to {@code <topic>.dlt} with
 * {@link BatchSends#deadLetter} and goes on with the rest of its batch.
 */
public final class DeadLetters {

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

}
