package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.DeviceAck;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import io.micrometer.observation.ObservationRegistry;

/**
 * Where records are handed to the producer: on the caller's thread only while {@code send} cannot
 * block (the broker took a record of the topic lately, and the records with no outcome yet leave
 * room in its buffer), else from a worker; against a mock producer that notes the thread of each send.
 */
class InboundPublisherTest {

    /** The size of one record of {@link #event()}, as the publisher counts it. */
    private static final int RECORD = Json.write(event()).length();

    private final List<String> sentOn = new CopyOnWriteArrayList<>();
    private final MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
            new StringSerializer()) {
        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
            sentOn.add(Thread.currentThread().getName());
            return super.send(record, callback);
        }

        @Override
        public void close(Duration timeout) {
        }
    };
    private final KafkaTemplate<String, String> template = new KafkaTemplate<>(new MockProducerFactory<>(() -> producer));
    /** Room for two records with no outcome, not three; a broker that answered in the last minute counts (the tests take less). */
    private final InboundPublisher publisher = new InboundPublisher(template, ObservationRegistry.NOOP, false, 3 * RECORD,
            Duration.ofMinutes(1));
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final String caller = Thread.currentThread().getName();

    private static InboundEvent event() {
        return InboundEvent.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), new Origin(1, "s"), 0,
                new ClientFrame.SendEvent(UUID.randomUUID().toString(), 1L, "clip", "text",
                        Base64Url.encode(new byte[128]), null, null));
    }

    private void publish() {
        publish(publisher);
    }

    private void publish(InboundPublisher through) {
        through.event(event(), failures::add).block(Duration.ofSeconds(10));
    }

    @Test
    void aTopicTheBrokerHasNotTakenARecordOfYetIsProducedFromAWorker() {
        publish();

        assertThat(sentOn).singleElement().asString().startsWith("boundedElastic").isNotEqualTo(caller);
    }

    @Test
    void onceTheBrokerTookOneRecordsAreHandedOverInPlaceWhileTheBufferHasRoom() {
        publish();
        producer.completeNext();

        publish();
        publish();
        assertThat(sentOn.subList(1, 3)).as("two records with no outcome fit").containsOnly(caller);

        publish();
        assertThat(sentOn.get(3)).as("a third could fill the buffer: send could block").startsWith("boundedElastic");

        producer.completeNext();
        producer.completeNext();
        producer.completeNext();
        publish();
        assertThat(sentOn.get(4)).as("the outcomes left room again").isEqualTo(caller);
        assertThat(failures).isEmpty();
    }

    @Test
    void eachTopicIsKnownByItsOwnRecords() {
        publish();
        producer.completeNext();

        publisher.ack(new DeviceAck(Topics.SCHEMA_VERSION, "u", "d", 1, 0), failures::add)
                .block(Duration.ofSeconds(10));

        assertThat(sentOn.get(1)).startsWith("boundedElastic");
    }

    @Test
    void afterAFailureRecordsGoThroughAWorkerUntilTheBrokerTakesOneAgain() {
        publish();
        producer.completeNext();
        publish();
        publish();

        producer.errorNext(new IllegalStateException("broker away"));
        producer.errorNext(new IllegalStateException("broker away"));
        publish();
        assertThat(failures).hasSize(2);
        assertThat(sentOn.get(3)).as("the broker may come back without the topic: send could block")
                .startsWith("boundedElastic");

        producer.completeNext();
        publish();
        assertThat(sentOn.get(4)).as("taken again, and the failures' room freed").isEqualTo(caller);
    }

    @Test
    void aBrokerThatAnsweredLongerAgoThanTheWindowSendsThroughAWorker() {
        InboundPublisher strict = new InboundPublisher(template, ObservationRegistry.NOOP, false, 3 * RECORD,
                Duration.ofNanos(1));
        publish(strict);
        producer.completeNext();

        publish(strict);

        assertThat(sentOn.get(1)).startsWith("boundedElastic");
    }
}
