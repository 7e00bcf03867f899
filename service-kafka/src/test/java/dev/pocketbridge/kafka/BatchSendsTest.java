package dev.pocketbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

import dev.pocketbridge.common.kafka.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Dead letters of a batch: sent to {@code <topic>.dlt} and counted by that topic once the broker has them. */
class BatchSendsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** A producer the template may close and use again. */
    private static MockProducer<String, String> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new StringSerializer()) {
            @Override
            public void close(Duration timeout) {
            }
        };
    }

    private double deadLetters(String topic) {
        var counter = meters.find(BatchSends.DEAD_LETTERS_METRIC).tag("topic", topic).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aDeadLetterIsCountedByItsTopicOnceSent() {
        MockProducer<String, String> producer = producer(true);
        BatchSends sends = new BatchSends(new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)),
                Duration.ofSeconds(5), meters);

        sends.deadLetter(new ConsumerRecord<>(Topics.USERS, 0, 7, "k", "{not json"), new IllegalArgumentException("x"));
        sends.deadLetter(new ConsumerRecord<>(Topics.USERS, 0, 8, "k", "{not json"), new IllegalArgumentException("x"));
        sends.deadLetter(new ConsumerRecord<>(Topics.ACKS, 0, 9, "k", "{"), new IllegalArgumentException("x"));
        sends.await();

        assertThat(producer.history()).extracting(r -> r.topic()).containsExactly(Topics.USERS + ".dlt",
                Topics.USERS + ".dlt", Topics.ACKS + ".dlt");
        assertThat(deadLetters(Topics.USERS + ".dlt")).isEqualTo(2);
        assertThat(deadLetters(Topics.ACKS + ".dlt")).isEqualTo(1);
    }

    @Test
    void aDeadLetterTheBrokerDidNotTakeIsNotCounted() {
        MockProducer<String, String> producer = producer(false);
        BatchSends sends = new BatchSends(new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)),
                Duration.ofSeconds(5), meters);

        sends.deadLetter(new ConsumerRecord<>(Topics.USERS, 0, 7, "k", "{"), new IllegalArgumentException("x"));
        producer.errorNext(new IllegalStateException("broker away"));

        assertThatThrownBy(sends::await).isInstanceOf(BatchSends.SendFailedException.class);
        assertThat(deadLetters(Topics.USERS + ".dlt")).isZero();
    }
}
