package dev.pocketbridge.gateway.session;

import java.util.concurrent.CompletableFuture;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.DeviceAck;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Topics;

/** Produces what devices send to {@code events.inbound} and {@code acks}, keyed by {@code user_id}. */
@Component
class InboundPublisher {

    private final KafkaTemplate<String, String> kafka;

    InboundPublisher(KafkaTemplate<String, String> kafka) {
        this.kafka = kafka;
    }

    /** Completes when the broker has the record; may also throw at once (e.g. no metadata in time). */
    CompletableFuture<?> event(InboundEvent event) {
        return kafka.send(Topics.EVENTS_INBOUND, event.userId(), Json.write(event));
    }

    CompletableFuture<?> ack(DeviceAck ack) {
        return kafka.send(Topics.ACKS, ack.userId(), Json.write(ack));
    }
}
