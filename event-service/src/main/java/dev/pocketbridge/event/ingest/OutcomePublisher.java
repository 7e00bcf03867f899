package dev.pocketbridge.event.ingest;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.event.log.AppendOutcome;
import dev.pocketbridge.kafka.BatchSends;
import dev.pocketbridge.kafka.Deliveries;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Turns the committed outcome of an inbound record into the record that announces it: the stored
 * event on {@code events.stored}, or the rejection for the sending session on {@code deliveries}.
 * The listener awaits a batch's records together ({@link BatchSends}).
 */
@Component
class OutcomePublisher {

    private static final Logger log = LoggerFactory.getLogger(OutcomePublisher.class);

    private final KafkaTemplate<String, String> kafka;
    private final IngestProperties properties;
    private final Deliveries deliveries;
    private final MeterRegistry meters;

    OutcomePublisher(KafkaTemplate<String, String> kafka, IngestProperties properties, Deliveries deliveries,
            MeterRegistry meters) {
        this.kafka = kafka;
        this.properties = properties;
        this.deliveries = deliveries;
        this.meters = meters;
    }

    /** The sends of one batch, awaited together. */
    BatchSends begin() {
        return new BatchSends(kafka, properties.publishTimeout(), meters);
    }

    void publish(BatchSends sends, InboundEvent inbound, AppendOutcome outcome) {
        switch (outcome) {
            case AppendOutcome.Stored stored -> {
                String status = stored.duplicate() ? ServerFrame.EventAck.DUPLICATE : ServerFrame.EventAck.STORED;
                StoredEvent value = new StoredEvent(Topics.SCHEMA_VERSION, inbound.userId(), status, inbound.origin(),
                        stored.event());
                sends.send(new ProducerRecord<>(Topics.EVENTS_STORED, inbound.userId(), Json.write(value)));
            }
            case AppendOutcome.Rejected rejected -> {
                Origin origin = inbound.origin();
                if (origin == null || origin.sessionId() == null || !deliveries.addressable(origin.nodeId())) {
                    // Nobody to tell: the gateway always sets a valid origin, so this is a foreign producer.
                    log.warn("rejected event {} of user {} ({}) has no deliverable origin {}", inbound.event().eventId(),
                            inbound.userId(), rejected.code().wire(), origin);
                    return;
                }
                ServerFrame.EventRejected frame = new ServerFrame.EventRejected(inbound.event().eventId(),
                        inbound.event().deviceSeq(), rejected.code().wire(), rejected.message(), null);
                sends.send(deliveries.record(new Delivery.Outcome(origin.nodeId(), inbound.userId(), origin.sessionId(),
                        frame)));
            }
        }
    }
}
