package dev.pocketbridge.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.protocol.ServerFrame;

class InboxTest {

    private static ServerFrame.DeliveredEvent event(long seq) {
        return new ServerFrame.DeliveredEvent(seq, "e" + seq, "d", seq, "s", seq, "t", "AA", null, 0L, false);
    }

    private static ServerFrame.EventAck ack(String eventId) {
        return new ServerFrame.EventAck(eventId, 1, 1, 1, "stored", false);
    }

    @Test
    void awaitingOneFrameLeavesTheOthersInOrder() throws Exception {
        Inbox inbox = new Inbox();
        inbox.add(event(1));
        inbox.add(event(2));
        inbox.add(ack("x"));
        inbox.add(event(3));

        ServerFrame found = inbox.take(f -> f instanceof ServerFrame.EventAck, Duration.ofSeconds(1));

        assertThat(found).isEqualTo(ack("x"));
        assertThat(inbox.take(f -> true, Duration.ZERO)).isEqualTo(event(1));
        assertThat(inbox.drain()).containsExactly(event(2), event(3));
    }

    @Test
    void returnsNullAfterTheTimeoutWhenNothingMatches() throws Exception {
        Inbox inbox = new Inbox();
        inbox.add(event(1));

        assertThat(inbox.take(f -> f instanceof ServerFrame.EventAck, Duration.ofMillis(50))).isNull();
        assertThat(inbox.take(f -> true, Duration.ZERO)).isEqualTo(event(1));
    }

    @Test
    void aFrameAddedByAnotherThreadWakesTheReader() throws Exception {
        Inbox inbox = new Inbox();
        CompletableFuture<ServerFrame> read = CompletableFuture.supplyAsync(() -> {
            try {
                return inbox.take(f -> f instanceof ServerFrame.EventAck, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        inbox.add(event(1));
        inbox.add(ack("late"));

        assertThat(read.get()).isEqualTo(ack("late"));
        assertThat(inbox.drain()).containsExactly(event(1));
    }

    @Test
    void theEndStopsWaitingButFramesBeforeItStayReadable() throws Exception {
        Inbox inbox = new Inbox();
        inbox.add(event(1));
        inbox.end();

        assertThat(inbox.take(f -> f instanceof ServerFrame.EventAck, Duration.ofSeconds(30))).isNull();
        assertThat(inbox.take(f -> true, Duration.ofSeconds(30))).isEqualTo(event(1));
        assertThat(inbox.take(f -> true, Duration.ofSeconds(30))).isNull();
    }
}
