package dev.pocketbridge.relay.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.kafka.Deliveries;
import dev.pocketbridge.kafka.RecordObservations;
import dev.pocketbridge.relay.presence.LatestEvents;
import dev.pocketbridge.relay.presence.PresenceMap;
import dev.pocketbridge.relay.presence.SessionLocation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * The order of the listener's steps, which no timing-based test could pin down: a session that opens
 * while a batch is planned must be either in the plan or handed the batch's events by the presence
 * listener, which looks the user's newest event up right after adding the session.
 */
class StoredEventListenerTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private final LatestEvents latest = new LatestEvents(10, CLOCK);
    /** What the presence listener would have found for the user at each moment the planner consulted presence. */
    private final List<Optional<LatestEvents.Newest>> newestWhenPresenceWasRead = new ArrayList<>();
    private final PresenceMap presence = new PresenceMap() {
        @Override
        public synchronized List<SessionLocation> sessionsOf(String userId) {
            newestWhenPresenceWasRead.add(latest.of(userId));
            return super.sessionsOf(userId);
        }
    };
    /** The template closes its producer after each operation: one mock producer per operation. */
    private final List<MockProducer<String, String>> producers = new ArrayList<>();
    private final KafkaTemplate<String, String> kafka = new KafkaTemplate<>(new MockProducerFactory<>(() -> {
        MockProducer<String, String> producer =
                new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        producers.add(producer);
        return producer;
    }));
    private final Deliveries deliveries = new Deliveries(kafka, FanoutPlannerTest.kafkaProperties(4));
    private final StoredEventListener listener = new StoredEventListener(new FanoutPlanner(presence, CLOCK, deliveries),
            latest, kafka, deliveries, new FanoutProperties(Duration.ofSeconds(5), 1), new SimpleMeterRegistry(),
            new RecordObservations(ObservationRegistry.NOOP));

    @Test
    void aUsersNewestEventIsNotedBeforePresenceIsConsultedForIt() {
        listener.onStored(List.of(record(0, 40, 7), record(0, 41, 8)));

        assertThat(newestWhenPresenceWasRead).containsExactly(
                Optional.of(new LatestEvents.Newest(7, 0, 40, null)),
                Optional.of(new LatestEvents.Newest(8, 0, 41, null)));
        assertThat(producers.stream().mapToInt(p -> p.history().size()).sum()).as("the acks").isEqualTo(2);
    }

    private static ConsumerRecord<String, String> record(int partition, long offset, long seq) {
        ServerFrame.DeliveredEvent event = new ServerFrame.DeliveredEvent(seq, "e" + seq, "sender", seq, "s", seq, "t",
                "cGF5bG9hZA", null, NOW - 10, false);
        StoredEvent stored = new StoredEvent(Topics.SCHEMA_VERSION, "u1", "stored", new Origin(0, "origin-session"),
                event);
        return new ConsumerRecord<>(Topics.EVENTS_STORED, partition, offset, "u1", Json.write(stored));
    }
}
