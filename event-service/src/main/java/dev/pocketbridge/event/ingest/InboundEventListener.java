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
import dev.pocketbridge.kafka.RecordObservations;
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
 *
 * <p>Each record goes on in its own trace ({@link RecordObservations}): its outcome is published
 * within it, and the batch's one append is a step ({@value #APPEND_OBSERVATION}) of every record's.
 */
@Component
class InboundEventListener {

    /** Counter of processed inbound records, tagged {@code outcome} = stored, duplicate or the reject code. */
    static final String OUTCOMES_METRIC = "pocketbridge.events.inbound.outcomes";

    private final EventLog log;
    private final OutcomePublisher publisher;
    private final OutcomeAnalytics analytics;
    private final MeterRegistry meters;
    private final RecordObservations observations;

    InboundEventListener(EventLog log, OutcomePublisher publisher, OutcomeAnalytics analytics, MeterRegistry meters,
            RecordObservations observations) {
        this.log = log;
        this.publisher = publisher;
        this.analytics = analytics;
        this.meters = meters;
        this.observations = observations;
    }

    static final String ID = "event-service-inbound";
    /** The step of each record's trace that appends the batch to the log (sequencer and PostgreSQL). */
    static final String APPEND_OBSERVATION = "pocketbridge.event.append";

    @KafkaListener(id = InboundEventListener.ID, idIsGroup = false, topics = Topics.EVENTS_INBOUND,
            properties = "group.instance.id=${pocketbridge.kafka.instance-id}-inbound")
    void onInbound(List<ConsumerRecord<String, String>> records) {
        observations.observe(records, ID, traced -> onInbound(records, traced));
    }

    private void onInbound(List<ConsumerRecord<String, String>> records, RecordObservations.Batch traced) {
        BatchSends sends = publisher.begin();
        List<Read> read = KafkaConfiguration.UNPROCESSABLE.readEach(records, sends, record -> {
            InboundEvent inbound = record.value() == null ? null : Json.read(record.value(), InboundEvent.class);
            EventLog.checkAddressable(inbound);
            traced.tag(record, RecordObservations.EVENT_ID, inbound.event().eventId());
            return new Read(record, inbound);
        });
        List<InboundEvent> batch = read.stream().map(Read::inbound).toList();
        List<AppendOutcome> outcomes = batch.isEmpty() ? List.of()
                : traced.step(APPEND_OBSERVATION, () -> log.appendAll(batch));
        for (int i = 0; i < batch.size(); i++) {
            InboundEvent inbound = batch.get(i);
            AppendOutcome outcome = outcomes.get(i);
            traced.within(read.get(i).record(), () -> publisher.publish(sends, inbound, outcome));
        }
        sends.await();
        analytics.record(batch, outcomes);
        outcomes.forEach(outcome -> meters.counter(OUTCOMES_METRIC, "outcome", tag(outcome)).increment());
    }

    private record Read(ConsumerRecord<String, String> record, InboundEvent inbound) {
    }

    private static String tag(AppendOutcome outcome) {
        return switch (outcome) {
            case AppendOutcome.Stored stored -> stored.duplicate() ? "duplicate" : "stored";
            case AppendOutcome.Rejected rejected -> rejected.code().wire();
        };
    }
}
