package dev.pocketbridge.relay.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.kafka.Deliveries;
import dev.pocketbridge.kafka.OrderedConsumption;
import dev.pocketbridge.kafka.PocketBridgeKafkaProperties;
import dev.pocketbridge.relay.presence.PresenceMap;

class FanoutPlannerTest {

    private static final long NOW = 1_700_000_000_000L;

    private final PresenceMap presence = new PresenceMap();
    private final FanoutPlanner planner = new FanoutPlanner(presence,
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), deliveries(4));

    /** Deliveries to {@code partitions} gateway nodes; planning only asks which nodes are addressable. */
    private static Deliveries deliveries(int partitions) {
        return new Deliveries(null, kafkaProperties(partitions));
    }

    static PocketBridgeKafkaProperties kafkaProperties(int deliveriesPartitions) {
        return new PocketBridgeKafkaProperties(deliveriesPartitions,
                new OrderedConsumption.Retry(Duration.ofMillis(200), 2.0, Duration.ofSeconds(5)), 12);
    }

    private void online(int node, String user, String device, String session) {
        Presence p = new Presence.SessionOpened(node, 1, user, device, session, NOW);
        presence.apply(p.key(), p);
    }

    private static StoredEvent stored(String status, int originNode, Long expiresAt) {
        ServerFrame.DeliveredEvent event = new ServerFrame.DeliveredEvent(7, "e1", "sender", 3, "s", 2, "t",
                "cGF5bG9hZA", expiresAt, NOW - 10, true);
        return new StoredEvent(Topics.SCHEMA_VERSION, "u1", status, new Origin(originNode, "origin-session"), event);
    }

    @Test
    void acksTheOriginSessionWithTheEventsNumbers() {
        Delivery.Outcome ack = planner.plan(stored("duplicate", 2, null)).ack();

        assertThat(ack).isEqualTo(new Delivery.Outcome(2, "u1", "origin-session",
                new ServerFrame.EventAck("e1", 3, 7, 2, "duplicate", true)));
    }

    @Test
    void groupsOtherDevicesByNodeAndSkipsTheSenderAndOtherUsers() {
        online(0, "u1", "sender", "a");
        online(1, "u1", "sender", "b");
        online(1, "u1", "d2", "c");
        online(1, "u1", "d3", "d");
        online(1, "u1", "d3", "e");
        online(3, "u1", "d4", "f");
        online(1, "u2", "x", "g");

        List<Delivery.LiveEvent> events = planner.plan(stored("stored", 0, NOW + 1)).events();

        assertThat(events).extracting(Delivery::nodeId).containsExactly(1, 3);
        assertThat(events.get(0).deviceIds()).containsExactlyInAnyOrder("d2", "d3");
        assertThat(events.get(1).deviceIds()).containsExactly("d4");
        assertThat(events).allSatisfy(d -> {
            assertThat(d.userId()).isEqualTo("u1");
            assertThat(d.event().eventId()).isEqualTo("e1");
        });
    }

    @Test
    void expiredEventIsAckedButNotFannedOut() {
        online(1, "u1", "d2", "c");

        FanoutPlanner.Plan atExpiry = planner.plan(stored("stored", 0, NOW));

        assertThat(atExpiry.ack()).isNotNull();
        assertThat(atExpiry.events()).isEmpty();
    }

    @Test
    void nodesBeyondTheDeliveriesPartitionsAreSkipped() {
        online(4, "u1", "d2", "c");
        online(2, "u1", "d3", "d");

        FanoutPlanner.Plan plan = planner.plan(stored("stored", 9, null));

        assertThat(plan.ack()).isNull();
        assertThat(plan.events()).extracting(Delivery::nodeId).containsExactly(2);
    }

    @Test
    void incompleteStoredEventIsMalformed() {
        StoredEvent noEvent = new StoredEvent(Topics.SCHEMA_VERSION, "u1", "stored", new Origin(0, "s"), null);

        assertThatThrownBy(() -> planner.plan(noEvent)).isInstanceOf(MalformedStoredEventException.class);
    }
}
