package dev.pocketbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.DefaultErrorHandler;

import tools.jackson.core.JacksonException;

class TopicDeclarationsTest {

    @Test
    void topicsCarryTheAgreedRecordLimitAndCompactionOnlyWhenAsked() {
        NewTopic plain = TopicDeclarations.topic("t", 3, Duration.ofDays(3));
        assertThat(plain.numPartitions()).isEqualTo(3);
        assertThat(plain.configs()).containsEntry("max.message.bytes", "4194304")
                .containsEntry("cleanup.policy", "delete");
        assertThat(TopicDeclarations.compacted("p", 6, Duration.ofDays(1)).configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("delete.retention.ms", "86400000")
                .containsEntry("max.message.bytes", "4194304")
                .doesNotContainKey("retention.ms");
    }

    @Test
    void everyDeletingTopicStatesItsRetentionAndSegmentsSmallEnoughToHonourIt() {
        assertThat(TopicDeclarations.topic("t", 1, Duration.ofDays(3)).configs())
                .containsEntry("retention.ms", "259200000")
                .as("a segment closes after a day at most").containsEntry("segment.ms", "86400000")
                .doesNotContainKey("retention.bytes");
        assertThat(TopicDeclarations.topic("t", 1, Duration.ofHours(1), 256L << 20).configs())
                .containsEntry("retention.ms", "3600000")
                .containsEntry("segment.ms", "3600000")
                .containsEntry("retention.bytes", Long.toString(256L << 20))
                .as("a quarter of the cap").containsEntry("segment.bytes", Long.toString(64L << 20));
        assertThat(TopicDeclarations.topic("t", 1, Duration.ofHours(1), 64L << 20).configs())
                .as("never below a few of the largest records").containsEntry("segment.bytes", Long.toString(16L << 20));
    }

    @Test
    void orderedBatchesRetryEveryFailureAndNeverSkipARecord() {
        DefaultErrorHandler handler = OrderedConsumption.errorHandler(
                new OrderedConsumption.Retry(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)));
        // removeClassification answers the classification it removes: null = the default (retryable).
        assertThat(handler.removeClassification(ClassCastException.class)).as("a default not-retryable type").isNull();
        assertThat(handler.removeClassification(JacksonException.class)).isNull();
    }

    @Test
    void unprocessableFailuresAreFoundAmongTheCauses() {
        DeadLetters deadLetters = new DeadLetters(JacksonException.class, IllegalArgumentException.class);
        assertThat(deadLetters.isUnprocessable(new IllegalArgumentException("bad id"))).isTrue();
        assertThat(deadLetters.isUnprocessable(new RuntimeException(new NumberFormatException("x")))).isTrue();
        assertThat(deadLetters.isUnprocessable(new IllegalStateException("database away"))).isFalse();
    }
}
