package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.limits.ClientAddresses;
import dev.pocketbridge.gateway.routing.FakeSession;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import reactor.test.scheduler.VirtualTimeScheduler;

/** One session's events from the {@code event} frame to their outcome, against a mock Kafka producer. */
class InflightEventsTest {

    private static final int NODE_ID = 3;
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** Sends are completed or failed by the test; a producer the template may close and use again. */
    private final MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
            new StringSerializer()) {
        @Override
        public void close(Duration timeout) {
        }
    };
    private final SessionProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
            "pocketbridge.gateway.session.max-inflight-events", 2,
            "pocketbridge.gateway.session.max-node-inflight-events", 3,
            "pocketbridge.gateway.session.admission-initial-limit", 3,
            "pocketbridge.gateway.session.admission-min-limit", 3,
            "pocketbridge.gateway.session.pending-timeout", "10s",
            "pocketbridge.gateway.session.retry-after", "2s")))
            .bindOrCreate("pocketbridge.gateway.session", SessionProperties.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final NodeAdmission admission = new NodeAdmission(properties, meters);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final SessionCollaborators collaborators = new SessionCollaborators(null, null, null,
            new InboundPublisher(new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)), ObservationRegistry.NOOP,
                    false),
            null,
            new EventValidator(1024), null, admission, rateLimits(5), null, new GatewayMetrics(meters, clock),
            properties, new Binder(new MapConfigurationPropertySource(Map.of()))
                    .bindOrCreate("pocketbridge.limits", ProtocolLimitsProperties.class), NODE_ID, clock);
    private final VirtualTimeScheduler timers = VirtualTimeScheduler.create();

    /** A session of the node: what it was sent, and (through its {@link FakeSession}) how it was closed. */
    private final class Session {
        final FakeSession session = new FakeSession(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        final List<ServerFrame> sent = new CopyOnWriteArrayList<>();
        final InflightEvents events = new InflightEvents(collaborators, session, () -> "mobile", sent::add,
                timers);

        void take(ClientFrame.SendEvent event) {
            events.take(event).block(Duration.ofSeconds(10));
        }

        ServerFrame.EventRejected onlyRejection() {
            assertThat(sent).hasSize(1);
            return (ServerFrame.EventRejected) sent.getFirst();
        }
    }

    private static SessionRateLimits rateLimits(int eventsPerDevice) {
        return new SessionRateLimits(new Binder(new MapConfigurationPropertySource(Map.of(
                "pocketbridge.gateway.session.rate-limits.events-per-device", eventsPerDevice,
                "pocketbridge.gateway.session.rate-limits.event-window", "1h")))
                .bindOrCreate("pocketbridge.gateway.session.rate-limits", RateLimitProperties.class),
                new ClientAddresses(new Binder(new MapConfigurationPropertySource(Map.of()))
                        .bindOrCreate("pocketbridge.gateway.rate-limits", dev.pocketbridge.gateway.limits.RateLimitProperties.class)),
                Clock.systemUTC(), new SimpleMeterRegistry());
    }

    private static ClientFrame.SendEvent event(long deviceSeq) {
        return new ClientFrame.SendEvent(UUID.randomUUID().toString(), deviceSeq, "clip", "text",
                Base64Url.encode(new byte[16]), null, null);
    }

    private static ServerFrame.EventAck ack(ClientFrame.SendEvent event) {
        return new ServerFrame.EventAck(event.eventId(), event.deviceSeq(), 1, 1, ServerFrame.EventAck.STORED, false);
    }

    @Test
    void anAdmittedEventIsProducedWithItsOriginAndFreedByItsOutcome() {
        Session s = new Session();
        ClientFrame.SendEvent event = event(1);

        s.take(event);

        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.EVENTS_INBOUND);
            assertThat(record.key()).isEqualTo(s.session.userId());
            InboundEvent inbound = Json.read(record.value(), InboundEvent.class);
            assertThat(inbound.deviceId()).isEqualTo(s.session.deviceId());
            assertThat(inbound.origin().nodeId()).isEqualTo(NODE_ID);
            assertThat(inbound.origin().sessionId()).isEqualTo(s.session.sessionId());
            assertThat(inbound.receivedAt()).isEqualTo(NOW.toEpochMilli());
            assertThat(inbound.deviceType()).isEqualTo("mobile");
        });
        assertThat(s.events.size()).isEqualTo(1);
        assertThat(admission.inflight()).isEqualTo(1);

        s.events.outcome(ack(event));

        assertThat(s.events.size()).isZero();
        assertThat(admission.inflight()).isZero();
        assertThat(s.sent).as("the outcome itself is sent by the connection").isEmpty();
        assertThat(meters.get(GatewayMetrics.ACK_LATENCY).timer().count()).as("its send-to-ack time").isEqualTo(1);
    }

    @Test
    void aResendOfAnEventInFlightKeepsItsSlot() {
        Session s = new Session();
        ClientFrame.SendEvent event = event(1);

        s.take(event);
        s.take(event);

        assertThat(s.events.size()).isEqualTo(1);
        assertThat(admission.inflight()).isEqualTo(1);
        assertThat(producer.history()).hasSize(2);
        assertThat(s.sent).isEmpty();
    }

    @Test
    void aFullSessionAnswersBackpressureAndARateLimitedDeviceRateLimited() {
        Session s = new Session();
        s.take(event(1));
        s.take(event(2));

        ClientFrame.SendEvent third = event(3);
        s.take(third);
        assertThat(s.onlyRejection()).isEqualTo(new ServerFrame.EventRejected(third.eventId(), 3L, "backpressure",
                "too many events awaiting their ack", 2000L));

        for (int i = 4; i <= 6; i++) {
            s.take(event(i)); // the 5 events of the device's window are spent by the 4th and 5th
        }
        ServerFrame.EventRejected limited = (ServerFrame.EventRejected) s.sent.getLast();
        assertThat(limited.code()).isEqualTo("rate_limited");
        assertThat(limited.retryAfterMs()).isPositive();
        assertThat(producer.history()).hasSize(2);
    }

    @Test
    void anEventOverTheNodesAdmissionLimitIsShed() {
        Session first = new Session();
        first.take(event(1));
        first.take(event(2));
        Session second = new Session();
        second.take(event(1));

        ClientFrame.SendEvent shed = event(2);
        second.take(shed);

        assertThat(second.onlyRejection()).isEqualTo(new ServerFrame.EventRejected(shed.eventId(), 2L, "backpressure",
                "the server is at capacity; retry later", 2000L));
        assertThat(meters.counter(NodeAdmission.SHED_METRIC).count()).isEqualTo(1);
    }

    @Test
    void anInvalidEventIsRejectedAtOnceButAnExpiredOneGoesToTheLog() {
        Session s = new Session();
        ClientFrame.SendEvent invalid = new ClientFrame.SendEvent(UUID.randomUUID().toString(), 1L, "clip", "text",
                "not base64!", null, null);
        s.take(invalid);
        assertThat(s.onlyRejection().code()).isEqualTo("invalid_event");
        assertThat(s.onlyRejection().retryAfterMs()).isNull();

        ClientFrame.SendEvent expired = new ClientFrame.SendEvent(UUID.randomUUID().toString(), 1L, "clip", "text",
                Base64Url.encode(new byte[16]), NOW.minus(Duration.ofDays(1)).toEpochMilli(), null);
        s.take(expired);
        assertThat(s.sent).hasSize(1);
        assertThat(producer.history()).singleElement().satisfies(r -> assertThat(r.value()).contains(expired.eventId()));
    }

    @Test
    void anEventWithoutOutcomeInTimeIsLostAndItsLateOutcomeChangesNothing() {
        Session s = new Session();
        ClientFrame.SendEvent event = event(1);
        s.take(event);

        timers.advanceTimeBy(Duration.ofSeconds(9));
        assertThat(s.sent).isEmpty();
        timers.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(s.onlyRejection()).isEqualTo(new ServerFrame.EventRejected(event.eventId(), 1L, "unavailable",
                "no outcome in time; resend the event", 2000L));
        assertThat(s.events.size()).isZero();
        assertThat(admission.inflight()).isZero();
        s.events.outcome(ack(event));
        assertThat(admission.inflight()).isZero();
    }

    @Test
    void anEventNotProducedIsLostAndEndsTheSessionWith1013() {
        Session s = new Session();
        ClientFrame.SendEvent event = event(1);
        s.take(event);

        producer.errorNext(new RuntimeException("broker gone"));

        await().atMost(Duration.ofSeconds(5)).until(() -> !s.session.closes().isEmpty());
        assertThat(s.session.closes()).containsExactly(CloseCodes.TRY_AGAIN_LATER);
        assertThat(s.onlyRejection()).isEqualTo(new ServerFrame.EventRejected(event.eventId(), 1L, "unavailable",
                "the event could not be accepted; reconnect and resend it", 2000L));
        assertThat(admission.inflight()).isZero();
    }

    @Test
    void aDrainingSessionTakesNoNewEventButItsEventsInFlightStillGetTheirOutcome() {
        Session s = new Session();
        ClientFrame.SendEvent inFlight = event(1);
        s.take(inFlight);

        s.events.drain();
        ClientFrame.SendEvent late = event(2);
        s.take(late);

        assertThat(s.onlyRejection()).isEqualTo(new ServerFrame.EventRejected(late.eventId(), 2L, "unavailable",
                "the server is shutting down", 2000L));
        s.events.outcome(ack(inFlight));
        assertThat(s.events.size()).isZero();
    }

    @Test
    void anEndedSessionGivesItsSlotsBackWithoutAnswering() {
        Session s = new Session();
        s.take(event(1));
        s.take(event(2));

        s.events.sessionEnded();

        assertThat(s.events.size()).isZero();
        assertThat(admission.inflight()).isZero();
        assertThat(admission.limit()).isEqualTo(3);
        timers.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(s.sent).isEmpty();
    }
}
