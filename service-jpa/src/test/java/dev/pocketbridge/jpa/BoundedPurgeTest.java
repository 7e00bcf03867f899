package dev.pocketbridge.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BoundedPurgeTest {

    @Test
    void deletesBatchAfterBatchUntilOneIsNotFull() {
        AtomicInteger left = new AtomicInteger(25);
        List<Integer> limits = new ArrayList<>();

        int deleted = BoundedPurge.run(10, 100, limit -> {
            limits.add(limit);
            int n = Math.min(limit, left.get());
            left.addAndGet(-n);
            return n;
        });

        assertThat(deleted).isEqualTo(25);
        assertThat(limits).containsExactly(10, 10, 10);
    }

    @Test
    void oneRunStopsAfterMaxBatchesAndLeavesTheRestForTheNext() {
        AtomicInteger calls = new AtomicInteger();

        int deleted = BoundedPurge.run(10, 3, limit -> {
            calls.incrementAndGet();
            return limit;
        });

        assertThat(deleted).isEqualTo(30);
        assertThat(calls).hasValue(3);
    }
}
