package dev.pocketbridge.event.ingest;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.event.analytics.OutcomeAnalytics;
import dev.pocketbridge.event.log.AppendOutcome;
import dev.pocketbridge.event.log.EventLog;
import dev.pocketbridge.kafka.BatchSends;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Consumes {@code events.inbound} a poll at a time: one transaction commits the whole batch to the
 * log, then every outcome is produced without waiting on each, the producer is flushed and all
 * outcomes are awaited once; only then does the method return and the container commit the batch's
 * offsets. No dual write: if the process dies between the commit and the publish, the batch is
 * redelivered, finds its events stored and republishes them as {@code duplicate}, in order.
 * Then, best effort and without waiting, the batch's analytics records ({@link OutcomeAnalytics}).
 *
 * <p>A record that can never be processed (unreadable, no canonical ids) is dead-lettered in place,
 * and the records around it go on in their order. Any other failure (the database or the broker
 * away) fails the whole batch, which the error handler retries in order until it succeeds.
 */
@Component
class InboundEventListener {

    /** Counter of processed inbound records, tagged {@code outcome} = stored, duplicate or the reject code. */
    static final String OUTCOMES_METRIC = "pocketbridge.events.inbound.outcomes";

    private final EventLog log;
    private final OutcomePublisher publisher;
    private final OutcomeAnalytics analytics;
    private final MeterRegistry meters;

    InboundEventListener(EventLog log, OutcomePublisher publisher, OutcomeAnalytics analytics, MeterRegistry meters) {
        this.log = log;
        this.publisher = publisher;
        this.analytics = analytics;
        this.meters = meters;
    }

    static final String ID = "event-service-inbound";

    @KafkaListener(id = InboundEventListener.ID, idIsGroup = false, topics = Topics.EVENTS_INBOUND,
            properties = "group.instance.id=${pocketbridge.kafka.instance-id}-inbound")
    void onInbound(List<ConsumerRecord<String, String>> records) {
        BatchSends sends = publisher.begin();
        List<InboundEvent> batch = KafkaConfiguration.UNPROCESSABLE.readEach(records, sends, record -> {
            InboundEvent inbound = record.value() == null ? null : Json.read(record.value(), InboundEvent.class);
            EventLog.checkAddressable(inbound);
            return inbound;
        });
        List<AppendOutcome> outcomes = batch.isEmpty() ? List.of() : log.appendAll(batch);
        for (int i = 0; i < batch.size(); i++) {
            publisher.publish(sends, batch.get(i), outcomes.get(i));
        }
        sends.await();
        analytics.record(batch, outcomes);
        outcomes.forEach(outcome -> meters.counter(OUTCOMES_METRIC, "outcome", tag(outcome)).increment());
    }

    private static String tag(AppendOutcome outcome) {
        return switch (outcome) {
            case AppendOutcome.Stored stored -> stored.duplicate() ? "duplicate" : "stored";
            case AppendOutcome.Rejected rejected -> rejected.code().wire();
        };
    }
}
