package dev.pocketbridge.jpa;

import java.util.function.IntUnaryOperator;

/**
 * The one way expired rows are purged: in batches of at most {@code batchSize} rows, each batch a
 * statement in a transaction of its own (so no purge holds locks for long or grows one transaction
 * without bound), and at most {@code maxBatches} batches per run (so one run stays bounded however
 * large a backlog is; the next run goes on).
 */
public final class BoundedPurge {

    private BoundedPurge() {
    }

    /**
     * @param deleteUpTo deletes at most the given number of rows, in its own transaction, and returns how many
     * @return how many rows this run deleted
     */
    public static int run(int batchSize, int maxBatches, IntUnaryOperator deleteUpTo) {
        int total = 0;
        for (int batch = 0; batch < maxBatches; batch++) {
            int deleted = deleteUpTo.applyAsInt(batchSize);
            total += deleted;
            if (deleted < batchSize) {
                break;
            }
        }
        return total;
    }
}
