package dev.pocketbridge.relay.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PresenceCatchUpTest {

    private static final TopicPartition P0 = new TopicPartition("presence", 0);
    private static final TopicPartition P1 = new TopicPartition("presence", 1);

    private final List<Object> published = new ArrayList<>();
    private final PresenceCatchUp catchUp = new PresenceCatchUp(published::add,
            new PresenceProperties("relay-presence-", "relay-accounts-", Duration.ofMillis(500), Duration.ofSeconds(10), 10, 10,
                    Duration.ofSeconds(5)));
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");

    @Test
    void waitsUntilEveryPartitionReachedTheEndSeenAtTheFirstCheck() {
        consumer.assign(List.of(P0, P1));
        consumer.updateEndOffsets(Map.of(P0, 3L, P1, 1L));
        consumer.seek(P0, 3);
        consumer.seek(P1, 0);

        catchUp.check(consumer);
        assertThat(catchUp.isCaughtUp()).isFalse();

        // Records written after start-up do not move the goal.
        consumer.updateEndOffsets(Map.of(P0, 3L, P1, 5L));
        consumer.seek(P1, 1);
        catchUp.check(consumer);

        assertThat(catchUp.isCaughtUp()).isTrue();
        assertThat(published).containsExactly(new PresenceCaughtUp(false));
    }

    @Test
    void emptyTopicIsCaughtUpAtOnceAndAnnouncedOnlyOnce() {
        consumer.assign(List.of(P0));
        consumer.updateEndOffsets(Map.of(P0, 0L));
        consumer.seek(P0, 0);

        catchUp.check(consumer);
        catchUp.check(consumer);

        assertThat(published).containsExactly(new PresenceCaughtUp(false));
    }

    @Test
    void noAssignmentYetIsNotCaughtUp() {
        catchUp.check(consumer);

        assertThat(catchUp.isCaughtUp()).isFalse();
        assertThat(published).isEmpty();
    }
}
