package dev.pocketbridge.relay.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.relay.RelayTestTopics;
import dev.pocketbridge.relay.presence.LatestEvents;
import dev.pocketbridge.relay.presence.PresenceCatchUp;
import dev.pocketbridge.relay.presence.PresenceMap;
import dev.pocketbridge.relay.presence.SessionLocation;
import dev.pocketbridge.testsupport.IntegrationTest;
import dev.pocketbridge.testsupport.SharedKafka;

/**
 * The whole service on a real broker: presence records and stored events in, {@code deliveries}
 * read back with a plain consumer. Each test uses its own users and devices; node epochs only grow.
 */
@IntegrationTest
@Import(RelayTestTopics.class)
class FanoutIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Epochs increase across tests, as gateway start times do, so no test revives an older node life. */
    private static final AtomicLong EPOCHS = new AtomicLong(System.currentTimeMillis());

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Autowired
    PresenceMap presence;

    @Autowired
    PresenceCatchUp catchUp;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    LatestEvents latest;

    @Test
    void theFanOutListenerRunsOnceThePresenceViewCaughtUp() {
        await().atMost(WAIT).until(catchUp::isCaughtUp);

        await().atMost(WAIT).until(() -> listeners.getListenerContainer(StoredEventListener.ID).isRunning());
    }

    @Test
    void acksTheOriginSessionAndDeliversToTheUsersOtherDevicesGroupedByNode() {
        long epoch = EPOCHS.incrementAndGet();
        String user = id("user");
        String other = id("other-user");
        String sender = id("sender");
        String a = id("device-a");
        String b = id("device-b");
        String c = id("device-c");
        String e = id("device-e");
        String x = id("device-x");
        String origin = id("session");
        online(1, epoch, user, sender, origin);
        online(2, epoch, user, a, id("session"));
        online(3, epoch, user, e, id("session"));
        online(2, epoch, user, b, id("session"));
        online(3, epoch, user, c, id("session"));
        online(2, epoch, other, x, id("session"));
        awaitSessions(user, 5);
        awaitSessions(other, 1);

        String eventId = id("event");
        publishAndSettle(user, stored(user, "stored", 1, origin, event(eventId, sender, 42, null)));

        List<ConsumerRecord<String, String>> records = deliveriesOf(user, eventId);
        List<ConsumerRecord<String, String>> acks = records.stream().filter(r -> isAck(r)).toList();
        assertThat(acks).hasSize(1);
        ConsumerRecord<String, String> ack = acks.getFirst();
        assertThat(ack.partition()).isEqualTo(1);
        assertThat(ack.key()).isEqualTo(user);
        Delivery.Outcome ackDelivery = (Delivery.Outcome) delivery(ack);
        assertThat(ackDelivery.sessionId()).isEqualTo(origin);
        assertThat(ackDelivery.frame()).isEqualTo(new ServerFrame.EventAck(eventId, 5, 42, 9, "stored", false));

        List<ConsumerRecord<String, String>> events = records.stream().filter(r -> !isAck(r)).toList();
        assertThat(events).extracting(ConsumerRecord::partition).containsExactlyInAnyOrder(2, 3);
        assertThat(events).allSatisfy(r -> {
            Delivery.LiveEvent d = (Delivery.LiveEvent) delivery(r);
            assertThat(r.key()).isEqualTo(user);
            assertThat(d.nodeId()).isEqualTo(r.partition());
            assertThat(d.event().seq()).isEqualTo(42);
        });
        assertThat(devicesOnPartition(events, 2)).containsExactlyInAnyOrder(a, b);
        assertThat(devicesOnPartition(events, 3)).containsExactlyInAnyOrder(c, e);
        assertThat(allDeliveries()).noneSatisfy(r -> assertThat(delivery(r).userId()).isEqualTo(other));
    }

    @Test
    void aNodeEpochBumpDropsTheSessionsOfItsPreviousLife() {
        long before = EPOCHS.incrementAndGet();
        String user = id("user");
        String sender = id("sender");
        String restarted = id("device-on-restarted-node");
        String stayed = id("device-on-other-node");
        String origin = id("session");
        publish(new Presence.NodeStarted(5, before, before));
        online(4, before, user, sender, origin);
        online(5, before, user, restarted, id("session"));
        online(6, before, user, stayed, id("session"));
        awaitSessions(user, 3);

        long after = EPOCHS.incrementAndGet();
        publish(new Presence.NodeStarted(5, after, after));
        await().atMost(WAIT).until(() -> presence.sessionsOf(user).stream().noneMatch(s -> s.nodeId() == 5));
        String eventId = id("event");
        publishAndSettle(user, stored(user, "stored", 4, origin, event(eventId, sender, 1, null)));

        List<ConsumerRecord<String, String>> records = deliveriesOf(user, eventId);
        assertThat(records).filteredOn(r -> isAck(r)).extracting(ConsumerRecord::partition).containsExactly(4);
        List<ConsumerRecord<String, String>> events = records.stream().filter(r -> !isAck(r)).toList();
        assertThat(events).extracting(ConsumerRecord::partition).containsExactly(6);
        assertThat(((Delivery.LiveEvent) delivery(events.getFirst())).deviceIds()).containsExactly(stayed);
    }

    @Test
    void aDevicesNewerSessionOnAnotherNodeClosesTheOlderOneWith4409() {
        long epoch = EPOCHS.incrementAndGet();
        String user = id("user");
        String device = id("device");
        String older = id("session");
        String newer = id("session");
        online(13, epoch, user, device, older);
        awaitSessions(user, 1);

        online(14, epoch, user, device, newer);

        await().atMost(WAIT).untilAsserted(() -> assertThat(allDeliveries())
                .filteredOn(r -> user.equals(delivery(r).userId()) && delivery(r) instanceof Delivery.CloseSession)
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.partition()).isEqualTo(13);
                    assertThat(delivery(r)).isEqualTo(new Delivery.CloseSession(13, user, older, CloseCodes.SUPERSEDED));
                }));
        assertThat(presence.sessionsOf(user)).extracting(SessionLocation::sessionId).containsExactly(newer);
    }

    @Test
    void aSessionOpeningAfterEventsGetsTheUsersNewestEventAtOnceToSeeAnyGap() {
        long epoch = EPOCHS.incrementAndGet();
        String user = id("user");
        String sender = id("sender");
        String origin = id("session");
        online(15, epoch, user, sender, origin);
        awaitSessions(user, 1);
        // Settling sends a marker event after it; the marker (seq Long.MAX_VALUE) is the user's newest.
        ServerFrame.DeliveredEvent newest = publishAndSettle(user,
                stored(user, "stored", 15, origin, event(id("event"), sender, 1, null)));

        String late = id("device-late");
        online(11, epoch, user, late, id("session"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(allDeliveries())
                .filteredOn(r -> r.partition() == 11 && user.equals(delivery(r).userId()))
                .singleElement()
                .satisfies(r -> {
                    // The relay kept only where the event is; the whole event is read back from events.stored.
                    assertThat(delivery(r)).isEqualTo(new Delivery.LiveEvent(11, user, List.of(late), newest));
                }));
    }

    @Test
    void anExpiredEventIsAckedButNotFannedOut() {
        long epoch = EPOCHS.incrementAndGet();
        String user = id("user");
        String sender = id("sender");
        String receiver = id("receiver");
        String origin = id("session");
        online(7, epoch, user, sender, origin);
        online(8, epoch, user, receiver, id("session"));
        awaitSessions(user, 2);

        String eventId = id("event");
        long expired = System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(1);
        publishAndSettle(user, stored(user, "duplicate", 7, origin, event(eventId, sender, 3, expired)));

        List<ConsumerRecord<String, String>> records = deliveriesOf(user, eventId);
        assertThat(records).hasSize(1);
        assertThat(records.getFirst().partition()).isEqualTo(7);
        assertThat(((ServerFrame.EventAck) ((Delivery.Outcome) delivery(records.getFirst())).frame()).status())
                .isEqualTo("duplicate");
    }

    @Test
    void offlineSessionsAndUnreadableRecordsLeaveTheRestOfPresenceIntact() {
        long epoch = EPOCHS.incrementAndGet();
        String user = id("user");
        String device = id("device");
        String otherDevice = id("device");
        String closing = id("session");
        String staying = id("session");
        kafka.send(Topics.PRESENCE, id("junk"), "{not json").join();
        // What schema version 1 wrote (old and new nodes do not mix): skipped like any unreadable record.
        kafka.send(Topics.PRESENCE, Topics.presenceSessionKey(device, id("session")), "{\"schema_version\":1,"
                + "\"kind\":\"session\",\"node_id\":9,\"epoch\":" + epoch + ",\"user_id\":\"" + user
                + "\",\"device_id\":\"" + device + "\",\"session_id\":\"s\",\"online\":true,\"at\":1}").join();
        online(9, epoch, user, device, closing);
        online(10, epoch, user, otherDevice, staying);
        awaitSessions(user, 2);

        publish(new Presence.SessionClosed(9, epoch, user, device, closing, epoch));
        kafka.send(Topics.PRESENCE, Topics.presenceSessionKey(otherDevice, staying), null).join();

        await().atMost(WAIT).until(() -> presence.sessionsOf(user).isEmpty());
        String later = id("session");
        online(11, epoch, user, device, later);
        await().atMost(WAIT).untilAsserted(() -> assertThat(presence.sessionsOf(user))
                .extracting(SessionLocation::sessionId).containsExactly(later));
    }

    @Test
    void anUnreadableStoredEventGoesToTheDeadLetterTopicWithoutBlockingTheUser() {
        long epoch = EPOCHS.incrementAndGet();
        String user = id("user");
        String sender = id("sender");
        String origin = id("session");
        online(12, epoch, user, sender, origin);
        awaitSessions(user, 1);

        String junk = "{\"user_id\":\"" + user + "\", broken";
        kafka.send(Topics.EVENTS_STORED, user, junk).join();
        String eventId = id("event");
        publishAndSettle(user, stored(user, "stored", 12, origin, event(eventId, sender, 1, null)));

        assertThat(deliveriesOf(user, eventId)).hasSize(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(readAll(Topics.EVENTS_STORED + Topics.DEAD_LETTER_SUFFIX))
                .extracting(ConsumerRecord::value).contains(junk));
    }

    @Test
    void aRevokedOrRemovedDevicesSessionGetsNothingMoreAndTheUsersOtherDevicesStillDo() {
        long epoch = EPOCHS.incrementAndGet();
        String user = uuid();
        String sender = uuid();
        String revoked = uuid();
        String removed = uuid();
        String kept = uuid();
        String origin = id("session");
        online(1, epoch, user, sender, origin);
        online(2, epoch, user, revoked, id("session"));
        online(3, epoch, user, removed, id("session"));
        online(2, epoch, user, kept, id("session"));
        awaitSessions(user, 4);

        // Before any close of the gateway reaches presence: the change alone drops the sessions.
        publish(new AccountChange.DeviceRevoked(user, revoked, "lost", System.currentTimeMillis()));
        publish(new AccountChange.DeviceRemoved(user, removed, System.currentTimeMillis()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(presence.sessionsOf(user))
                .extracting(SessionLocation::deviceId).containsExactlyInAnyOrder(sender, kept));
        String eventId = id("event");
        publishAndSettle(user, stored(user, "stored", 1, origin, event(eventId, sender, 1, null)));

        List<ConsumerRecord<String, String>> events = deliveriesOf(user, eventId).stream()
                .filter(r -> !isAck(r)).toList();
        assertThat(events).extracting(ConsumerRecord::partition).containsExactly(2);
        assertThat(((Delivery.LiveEvent) delivery(events.getFirst())).deviceIds()).containsExactly(kept);
    }

    @Test
    void aDeletedUsersSessionsAndNewestEventAreForgottenAndUnreadableChangesAreSkipped() {
        long epoch = EPOCHS.incrementAndGet();
        String user = uuid();
        String other = uuid();
        String sender = uuid();
        String origin = id("session");
        online(1, epoch, user, sender, origin);
        online(2, epoch, user, uuid(), id("session"));
        online(2, epoch, other, uuid(), id("session"));
        awaitSessions(user, 2);
        awaitSessions(other, 1);
        publishAndSettle(user, stored(user, "stored", 1, origin, event(id("event"), sender, 1, null)));
        assertThat(latest.of(user)).isPresent();

        awaitAccountChangesListener();
        kafka.send(Topics.USERS, user, "{not json").join();
        kafka.send(Topics.USERS, user, "{\"kind\":\"user_exploded\",\"user_id\":\"" + user + "\"}").join();
        kafka.send(Topics.DEVICES, user, null).join();
        publish(new AccountChange.UserDeleted(user, List.of(), System.currentTimeMillis()));

        await().atMost(WAIT).until(() -> presence.sessionsOf(user).isEmpty());
        assertThat(latest.of(user)).isEmpty();
        assertThat(presence.sessionsOf(other)).hasSize(1);
    }

    // --- helpers

    /** Publishes as device-service does. */
    private void publish(AccountChange change) {
        awaitAccountChangesListener();
        kafka.send(change.topic(), change.userId(), Json.write(change)).join();
    }

    /** The account changes listener reads only what is published once it has its partitions. */
    private void awaitAccountChangesListener() {
        await().atMost(WAIT).until(() -> {
            var container = listeners.getListenerContainer("relay-accounts");
            return container != null && container.getAssignedPartitions() != null
                    && container.getAssignedPartitions().size() == 8; // devices and users, 4 each
        });
    }

    private static String id(String what) {
        return what + "-" + UUID.randomUUID();
    }

    /** An id as device-service assigns it: account changes with anything else are refused. */
    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    private static ServerFrame.DeliveredEvent event(String eventId, String device, long seq, Long expiresAt) {
        return new ServerFrame.DeliveredEvent(seq, eventId, device, 5, "stream-1", 9, "note", "cGF5bG9hZA", expiresAt,
                System.currentTimeMillis(), false);
    }

    private static StoredEvent stored(String user, String status, int node, String session,
            ServerFrame.DeliveredEvent event) {
        return new StoredEvent(Topics.SCHEMA_VERSION, user, status, new Origin(node, session), event);
    }

    private void online(int node, long epoch, String user, String device, String session) {
        publish(new Presence.SessionOpened(node, epoch, user, device, session, epoch));
    }

    private void publish(Presence p) {
        kafka.send(Topics.PRESENCE, p.key(), Json.write(p)).join();
    }

    private void awaitSessions(String user, int count) {
        await().atMost(WAIT).until(() -> presence.sessionsOf(user).size() == count);
    }

    /**
     * Publishes the event, then a marker event of the same user (same partition, so processed after
     * it) and waits for the marker's ack: by then every delivery of the event is in {@code deliveries}.
     */
    private ServerFrame.DeliveredEvent publishAndSettle(String user, StoredEvent event) {
        kafka.send(Topics.EVENTS_STORED, user, Json.write(event)).join();
        String markerId = id("marker");
        ServerFrame.DeliveredEvent marker = new ServerFrame.DeliveredEvent(Long.MAX_VALUE, markerId,
                id("marker-device"), 5, "stream-1", 9, "note", "bWFya2Vy" + markerId.replace("-", ""), null,
                System.currentTimeMillis(), false);
        kafka.send(Topics.EVENTS_STORED, user, Json.write(stored(user, "stored", 0, id("marker-session"), marker)))
                .join();
        await().atMost(WAIT).until(() -> deliveriesOf(user, markerId).stream().anyMatch(r -> isAck(r)));
        return marker;
    }

    private List<ConsumerRecord<String, String>> deliveriesOf(String user, String eventId) {
        return allDeliveries().stream().filter(r -> {
            Delivery d = delivery(r);
            String id = switch (d) {
                case Delivery.Outcome outcome -> outcome.frame() instanceof ServerFrame.EventAck ack ? ack.eventId() : null;
                case Delivery.LiveEvent live -> live.event().eventId();
                case Delivery.CloseSession close -> null;
            };
            return user.equals(d.userId()) && eventId.equals(id);
        }).toList();
    }

    private static boolean isAck(ConsumerRecord<String, String> record) {
        return delivery(record) instanceof Delivery.Outcome outcome && outcome.frame() instanceof ServerFrame.EventAck;
    }

    private static Delivery delivery(ConsumerRecord<String, String> record) {
        return Json.read(record.value(), Delivery.class);
    }

    private static List<String> devicesOnPartition(List<ConsumerRecord<String, String>> records, int partition) {
        return records.stream().filter(r -> r.partition() == partition).findFirst()
                .map(r -> ((Delivery.LiveEvent) delivery(r)).deviceIds()).orElse(List.of());
    }

    private static List<ConsumerRecord<String, String>> allDeliveries() {
        return readAll(Topics.DELIVERIES);
    }

    /** Every record of the topic up to its end offsets at the time of the call. */
    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
