package dev.pocketbridge.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.ConsumerFactory;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.kafka.OrderedConsumption;
import dev.pocketbridge.kafka.PocketBridgeKafkaProperties;
import dev.pocketbridge.kafka.RecordObservations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

class DeliveriesConsumerTest {

    private static final PocketBridgeKafkaProperties SIXTEEN_PARTITIONS = new PocketBridgeKafkaProperties(16,
            new OrderedConsumption.Retry(Duration.ofMillis(200), 2.0, Duration.ofSeconds(5)), 12);
    private static final RecordObservations UNTRACED = new RecordObservations(ObservationRegistry.NOOP);

    private static RoutingProperties nodeId(int id) {
        return new RoutingProperties(id, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofSeconds(30), 12, 12, 6,
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    @SuppressWarnings("unchecked")
    private static ConsumerFactory<String, String> factoryWithPartitions(int count) {
        MockConsumer<String, String> consumer = new MockConsumer<>(AutoOffsetResetStrategy.LATEST.name());
        List<PartitionInfo> infos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            infos.add(new PartitionInfo(Topics.DELIVERIES, i, Node.noNode(), new Node[0], new Node[0]));
        }
        consumer.updatePartitions(Topics.DELIVERIES, infos);
        ConsumerFactory<String, String> factory = mock(ConsumerFactory.class);
        when(factory.createConsumer(isNull(), anyString(), anyString(), any(Properties.class))).thenReturn(consumer);
        return factory;
    }

    @Test
    void aNodeIdWithoutItsPartitionFailsTheStart() {
        DeliveriesConsumer consumer = new DeliveriesConsumer(factoryWithPartitions(2),
                new SessionRegistry(mock(PresencePublisher.class), SessionRegistryTest.PROPS,
                new SimpleMeterRegistry()), nodeId(3), SIXTEEN_PARTITIONS, new SimpleMeterRegistry(), UNTRACED);
        assertThatThrownBy(consumer::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("node-id 3");
    }

    @Test
    void aNodeIdNotBelowTheConfiguredPartitionCountFailsAtOnce() {
        SessionRegistry registry = new SessionRegistry(mock(PresencePublisher.class), SessionRegistryTest.PROPS,
                new SimpleMeterRegistry());
        assertThatThrownBy(() -> new DeliveriesConsumer(factoryWithPartitions(32), registry, nodeId(16),
                SIXTEEN_PARTITIONS, new SimpleMeterRegistry(), UNTRACED)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node-id 16 must be below pocketbridge.kafka.deliveries-partitions 16");
        // More partitions, more nodes: no fixed largest id.
        PocketBridgeKafkaProperties sixtyFour = new PocketBridgeKafkaProperties(64, SIXTEEN_PARTITIONS.retry(), 12);
        assertThat(new DeliveriesConsumer(factoryWithPartitions(64), registry, nodeId(63), sixtyFour,
                new SimpleMeterRegistry(), UNTRACED)).isNotNull();
    }

    @Test
    void deliveriesGoOnlyToTheAddressedSessionOfThatUser() {
        SessionRegistry registry = new SessionRegistry(mock(PresencePublisher.class), SessionRegistryTest.PROPS,
                new SimpleMeterRegistry());
        DeliveriesConsumer consumer = new DeliveriesConsumer(factoryWithPartitions(16), registry, nodeId(0),
                SIXTEEN_PARTITIONS, new SimpleMeterRegistry(), UNTRACED);
        RecordingSession mine = new RecordingSession("s1", "u1", "d1");
        RecordingSession other = new RecordingSession("s2", "u2", "d2");
        registry.register(mine);
        registry.register(other);
        ServerFrame.EventAck ack = new ServerFrame.EventAck("e", 1, 1, 1, "stored", false);

        consumer.dispatch(Json.write(new Delivery.Outcome(0, "u1", "s1", ack)));
        consumer.dispatch(Json.write(new Delivery.Outcome(0, "u9", "s2", ack))); // wrong user for s2
        consumer.dispatch("{not json");
        consumer.dispatch("{\"schema_version\":1,\"node_id\":0,\"user_id\":\"u1\",\"session_id\":\"s1\",\"frame\":"
                + Json.write(ack) + "}"); // schema version 1: no kind
        consumer.dispatch(null);
        consumer.dispatch(Json.write(new Delivery.LiveEvent(0, "u2", List.of("d1", "d2"),
                new ServerFrame.DeliveredEvent(3, "e", "d9", 1, "s", 1, "t", "AA", null, 1, false))));

        assertThat(mine.outcomes).containsExactly(ack);
        assertThat(mine.live).isEmpty();
        assertThat(other.outcomes).isEmpty();
        assertThat(other.live).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(3L);
    }

    @Test
    void aCloseDeliveryClosesOnlyThatSessionOfThatUser() {
        SessionRegistry registry = new SessionRegistry(mock(PresencePublisher.class), SessionRegistryTest.PROPS,
                new SimpleMeterRegistry());
        DeliveriesConsumer consumer = new DeliveriesConsumer(factoryWithPartitions(16), registry, nodeId(0),
                SIXTEEN_PARTITIONS, new SimpleMeterRegistry(), UNTRACED);
        RecordingSession roaming = new RecordingSession("s1", "u1", "d1");
        RecordingSession stranger = new RecordingSession("s2", "u2", "d2");
        registry.register(roaming);
        registry.register(stranger);

        consumer.dispatch(Json.write(new Delivery.CloseSession(0, "u1", "s1", CloseCodes.SUPERSEDED)));
        consumer.dispatch(Json.write(new Delivery.CloseSession(0, "u1", "s2", CloseCodes.SUPERSEDED))); // not u1's

        assertThat(roaming.closes).containsExactly(CloseCodes.SUPERSEDED);
        assertThat(stranger.closes).isEmpty();
    }

    private record RecordingSession(String sessionId, String userId, String deviceId, List<ServerFrame> outcomes,
            List<ServerFrame.DeliveredEvent> live, List<Integer> closes, long checkedAtNanos) implements LocalSession {

        RecordingSession(String sessionId, String userId, String deviceId) {
            this(sessionId, userId, deviceId, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), System.nanoTime());
        }

        @Override
        public void deliverLive(ServerFrame.DeliveredEvent event) {
            live.add(event);
        }

        @Override
        public void deliverOutcome(ServerFrame frame) {
            outcomes.add(frame);
        }

        @Override
        public void drain() {
        }

        @Override
        public int pendingEvents() {
            return 0;
        }

        @Override
        public void close(int closeCode, String reason) {
            closes.add(closeCode);
        }
    }
}
