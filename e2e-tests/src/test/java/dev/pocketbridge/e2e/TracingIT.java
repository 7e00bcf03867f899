package dev.pocketbridge.e2e;

import static dev.pocketbridge.e2e.Fixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame.DeliveredEvent;
import dev.pocketbridge.common.protocol.ServerFrame.EventAck;

/**
 * One event's trace (docs/tracing-and-logs.md), as the services export it by OTLP to the test's
 * {@link OtlpReceiver}: from the frame at the sender's gateway through {@code events.inbound},
 * event-service (its log append), {@code events.stored}, relay-service and {@code deliveries} to
 * both gateway nodes, the sender's (the ack) and the receiver's (the live delivery), every span of
 * it under one trace id.
 */
class TracingIT {

    private static final String EVENT_ID = "pocketbridge.event_id";
    private static final String LISTENER_ID = "spring.kafka.listener.id";

    @BeforeAll
    static void system() {
        RunningSystem.get();
    }

    @Test
    void anEventsSpansInTheGatewaysEventServiceAndRelayServiceShareOneTrace() {
        Device sender = Fixture.newUser(0, "laptop");
        Device receiver = Fixture.pairedWith(sender, 1, "phone");
        ClientFrame.SendEvent event;
        try (DeviceSession from = sender.connect(); DeviceSession to = receiver.connect()) {
            EventFlowIT.awaitLiveRouting(from, List.of(to));
            event = from.newEvent("notes", "note.v1", new byte[] {1, 2, 3});
            assertThat(from.sendAndAwait(event, WAIT)).isInstanceOf(EventAck.class);
            to.await(DeliveredEvent.class, e -> e.eventId().equals(event.eventId()), WAIT);
        }

        OtlpReceiver spans = OtlpReceiver.shared();
        await("the event's trace").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<OtlpReceiver.Span> tagged = spans.spans(s -> event.eventId().equals(s.attributes().get(EVENT_ID)));
            assertThat(tagged).extracting(OtlpReceiver.Span::service)
                    .contains("gateway-service", "event-service", "relay-service");
            Set<String> traceIds = tagged.stream().map(OtlpReceiver.Span::traceId).collect(Collectors.toSet());
            assertThat(traceIds).as("trace ids of the spans naming the event").hasSize(1);
            String traceId = traceIds.iterator().next();

            List<OtlpReceiver.Span> trace = spans.spans(s -> s.traceId().equals(traceId));
            assertThat(names(trace, "gateway-service"))
                    .contains("event publish", "events.inbound send", "deliveries process");
            assertThat(names(trace, "event-service"))
                    .contains("events.inbound process", "pocketbridge.event.append", "events.stored send");
            assertThat(names(trace, "relay-service")).contains("events.stored process", "deliveries send");
            assertThat(trace).filteredOn(s -> s.name().equals("deliveries process"))
                    .extracting(s -> s.attributes().get(LISTENER_ID)).as("the ack to node 0, the event to node 1")
                    .contains("gateway-deliveries-0", "gateway-deliveries-1");

            // One tree: a single root, the sender's gateway taking the frame, and every other span's parent in the trace.
            Set<String> spanIds = trace.stream().map(OtlpReceiver.Span::spanId).collect(Collectors.toSet());
            assertThat(trace).filteredOn(s -> s.parentSpanId().isEmpty()).extracting(OtlpReceiver.Span::name)
                    .containsExactly("event publish");
            assertThat(trace).filteredOn(s -> !s.parentSpanId().isEmpty())
                    .allSatisfy(s -> assertThat(spanIds).contains(s.parentSpanId()));
        });
    }

    private static List<String> names(List<OtlpReceiver.Span> trace, String service) {
        return trace.stream().filter(s -> service.equals(s.service())).map(OtlpReceiver.Span::name).toList();
    }
}
