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
        NewTopic plain = TopicDeclarations.topic("t", 3);
        assertThat(plain.numPartitions()).isEqualTo(3);
        assertThat(plain.configs()).containsEntry("max.message.bytes", "4194304").doesNotContainKey("cleanup.policy");
        assertThat(TopicDeclarations.compacted("p", 6).configs()).containsEntry("cleanup.policy", "compact")
                .containsEntry("max.message.bytes", "4194304");
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
