package dev.pocketbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
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
    void neverRetriedExceptionsAreClassifiedNotRetryable() {
        KafkaTemplate<String, String> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of()));
        DefaultErrorHandler handler = OrderedConsumption.errorHandler(template,
                new OrderedConsumption.Retry(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)), JacksonException.class);
        // removeClassification answers the classification it removes: false = not retryable.
        assertThat(handler.removeClassification(JacksonException.class)).isFalse();
        assertThat(handler.removeClassification(IllegalStateException.class)).as("retried with back-off").isNull();
    }
}
