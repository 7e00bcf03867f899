package dev.pocketbridge.event.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

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

    private final EventLog log;
    private final OutcomePublisher publisher;

    InboundEventListener(EventLog log, OutcomePublisher publisher) {
        this.log = log;
        this.publisher = publisher;
    }

    @KafkaListener(id = "event-service-inbound", idIsGroup = false, topics = Topics.EVENTS_INBOUND)
    void onInbound(ConsumerRecord<String, String> record) {
        InboundEvent inbound = record.value() == null ? null : Json.read(record.value(), InboundEvent.class);
        if (inbound == null) {
            throw new MalformedInboundException("record without an event");
        }
        AppendOutcome outcome = log.append(inbound);
        publisher.publish(inbound, outcome);
    }
}
