package dev.pocketbridge.event.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.event.log.AppendOutcome;
import dev.pocketbridge.event.log.EventLog;
import dev.pocketbridge.event.log.MalformedInboundException;

/**
 * Consumes {@code events.inbound} in order: commit to the log, then publish the outcome and wait
 * for the broker. No dual write: if the process dies between the two, the record is redelivered,
 * finds its event stored and republishes it as {@code duplicate}, still in order.
 */
@Component
class InboundEventListener {

    /** Counter of processed inbound records, tagged {@code outcome} = stored, duplicate or the reject code. */
    static final String OUTCOMES_METRIC = "pocketbridge.events.inbound.outcomes";

    private final EventLog log;
    private final OutcomePublisher publisher;
    private final MeterRegistry meters;

    InboundEventListener(EventLog log, OutcomePublisher publisher, MeterRegistry meters) {
        this.log = log;
        this.publisher = publisher;
        this.meters = meters;
    }

    @KafkaListener(id = "event-service-inbound", idIsGroup = false, topics = Topics.EVENTS_INBOUND)
    void onInbound(ConsumerRecord<String, String> record) {
        InboundEvent inbound = record.value() == null ? null : Json.read(record.value(), InboundEvent.class);
        if (inbound == null) {
            throw new MalformedInboundException("record without an event");
        }
        AppendOutcome outcome = log.append(inbound);
        publisher.publish(inbound, outcome);
        String tag = switch (outcome) {
            case AppendOutcome.Stored stored -> stored.duplicate() ? "duplicate" : "stored";
            case AppendOutcome.Rejected rejected -> rejected.code().wire();
        };
        meters.counter(OUTCOMES_METRIC, "outcome", tag).increment();
    }
}
