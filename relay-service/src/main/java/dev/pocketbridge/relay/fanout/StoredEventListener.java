package dev.pocketbridge.relay.fanout;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.BatchSends;
import dev.pocketbridge.kafka.Deliveries;
import dev.pocketbridge.kafka.RecordObservations;
import dev.pocketbridge.relay.presence.LatestEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Consumes {@code events.stored} a poll at a time: plans every record's deliveries, produces them
 * all without waiting on each, then flushes and awaits them once, so the batch's offsets are
 * committed only when every delivery is durable. A retry resends the whole batch: gateways drop
 * events whose {@code seq} they already sent, and acks are idempotent. Records of one user are
 * produced in their order to one partition per node, so per-user order holds. An unprocessable
 * record is dead-lettered in place, without holding up the records around it. Each record's
 * deliveries are sent within its own trace ({@link RecordObservations}).
 */
@Component
class StoredEventListener {

    private final FanoutPlanner planner;
    private final LatestEvents latest;
    private final KafkaTemplate<String, String> kafka;
    private final Deliveries deliveries;
    private final FanoutProperties properties;
    private final Counter acksRouted;
    private final Counter deliveriesSent;
    private final Counter eventsFannedOut;
    private final MeterRegistry meters;
    private final RecordObservations observations;

    StoredEventListener(FanoutPlanner planner, LatestEvents latest, KafkaTemplate<String, String> kafka,
            Deliveries deliveries, FanoutProperties properties, MeterRegistry registry,
            RecordObservations observations) {
        this.planner = planner;
        this.observations = observations;
        this.latest = latest;
        this.kafka = kafka;
        this.deliveries = deliveries;
        this.properties = properties;
        this.meters = registry;
        this.acksRouted = Counter.builder("relay.acks.routed")
                .description("Event acks sent to the sending session's gateway node").register(registry);
        this.deliveriesSent = Counter.builder("relay.deliveries.sent")
                .description("Event deliveries sent to gateway nodes (one per node and event)").register(registry);
        this.eventsFannedOut = Counter.builder("relay.events.fanned_out")
                .description("Stored events delivered to at least one other device").register(registry);
    }

    static final String ID = "relay-fanout";

    /** Started by {@link FanoutStarter} once the presence view has caught up. */
    @KafkaListener(id = ID, groupId = "relay-service", topics = Topics.EVENTS_STORED, autoStartup = "false",
            properties = "group.instance.id=${pocketbridge.kafka.instance-id}-fanout")
    void onStored(List<ConsumerRecord<String, String>> records) {
        observations.observe(records, ID, traced -> onStored(records, traced));
    }

    private void onStored(List<ConsumerRecord<String, String>> records, RecordObservations.Batch traced) {
        BatchSends sends = new BatchSends(kafka, properties.sendTimeout(), meters);
        List<Planned> plans = FanoutConfiguration.UNPROCESSABLE.readEach(records, sends, record -> {
            if (record.value() == null) {
                throw new MalformedStoredEventException("record without a stored event");
            }
            StoredEvent stored = FanoutPlanner.complete(Json.read(record.value(), StoredEvent.class));
            traced.tag(record, RecordObservations.EVENT_ID, stored.event().eventId());
            rememberNewest(stored, record);
            return new Planned(record, planner.plan(stored));
        });
        int acks = 0;
        int live = 0;
        int events = 0;
        for (Planned planned : plans) {
            FanoutPlanner.Plan plan = planned.plan();
            traced.within(planned.record(), () -> {
                if (plan.ack() != null) {
                    sends.send(deliveries.record(plan.ack()));
                }
                plan.events().forEach(delivery -> sends.send(deliveries.record(delivery)));
            });
            acks += plan.ack() == null ? 0 : 1;
            live += plan.events().size();
            events += plan.events().isEmpty() ? 0 : 1;
        }
        sends.await();
        acksRouted.increment(acks);
        deliveriesSent.increment(live);
        eventsFannedOut.increment(events);
    }

    private record Planned(ConsumerRecord<String, String> record, FanoutPlanner.Plan plan) {
    }

    /**
     * Notes where the user's newest event is (not the event: it is read back from there when needed)
     * before presence is consulted for it. A session that opens at any moment is then either in the
     * plan, or finds this event when the presence listener hands it its user's newest one; noted only
     * after the deliveries, a session opening in between would get neither and miss this batch's events
     * with no gap to show it. Handing it an event whose live delivery is still on its way is harmless:
     * the gateway drops a {@code seq} a session already got.
     */
    private void rememberNewest(StoredEvent stored, ConsumerRecord<String, String> record) {
        latest.remember(stored.userId(), new LatestEvents.Newest(stored.event().seq(), record.partition(),
                record.offset(), stored.event().expiresAt()));
    }
}
