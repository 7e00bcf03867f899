package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import reactor.test.scheduler.VirtualTimeScheduler;

class CoalescedAcksTest {

    private final VirtualTimeScheduler timers = VirtualTimeScheduler.create();
    private final List<Long> written = new CopyOnWriteArrayList<>();
    private final CoalescedAcks acks = new CoalescedAcks(Duration.ofSeconds(1), timers, written::add);

    @Test
    void theNewestAckOfAnIntervalIsWrittenOnceAtItsEnd() {
        acks.ack(3);
        acks.ack(9);
        acks.ack(7); // older than one already taken: never moves the cursor back
        timers.advanceTimeBy(Duration.ofMillis(999));
        assertThat(written).isEmpty();

        timers.advanceTimeBy(Duration.ofMillis(1));
        assertThat(written).containsExactly(9L);

        timers.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(written).as("nothing new, nothing written").containsExactly(9L);
        acks.ack(10);
        timers.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(written).containsExactly(9L, 10L);
    }

    @Test
    void theEndOfTheSessionWritesTheAckNotYetWrittenAndTakesNoMore() {
        acks.ack(4);
        acks.finish();
        assertThat(written).containsExactly(4L);

        acks.ack(5);
        timers.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(written).containsExactly(4L);
    }

    @Test
    void aDiscardedAckIsNeverWritten() {
        acks.ack(4);
        acks.discard();
        timers.advanceTimeBy(Duration.ofSeconds(1));
        acks.finish();
        assertThat(written).isEmpty();
    }
}
