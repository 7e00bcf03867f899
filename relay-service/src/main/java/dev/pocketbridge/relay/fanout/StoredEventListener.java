package dev.pocketbridge.relay.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.relay.presence.LatestEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Consumes {@code events.stored} in order and sends each record's deliveries, waiting for the
 * broker before returning, so an offset is committed only once every delivery is durable. A retry
 * resends them all: gateways drop events whose {@code seq} they already sent, acks are idempotent.
 */
@Component
class StoredEventListener {

    private final FanoutPlanner planner;
    private final LatestEvents latest;
    private final KafkaTemplate<String, String> kafka;
    private final FanoutProperties properties;
    private final Counter acksRouted;
    private final Counter deliveriesSent;
    private final Counter eventsFannedOut;

    StoredEventListener(FanoutPlanner planner, LatestEvents latest, KafkaTemplate<String, String> kafka,
            FanoutProperties properties, MeterRegistry registry) {
        this.planner = planner;
        this.latest = latest;
        this.kafka = kafka;
        this.properties = properties;
        this.acksRouted = Counter.builder("relay.acks.routed")
                .description("Event acks sent to the sending session's gateway node").register(registry);
        this.deliveriesSent = Counter.builder("relay.deliveries.sent")
                .description("Event deliveries sent to gateway nodes (one per node and event)").register(registry);
        this.eventsFannedOut = Counter.builder("relay.events.fanned_out")
                .description("Stored events delivered to at least one other device").register(registry);
    }

    static final String ID = "relay-fanout";

    /** Started by {@link FanoutStarter} once the presence view has caught up. */
    @KafkaListener(id = ID, groupId = "relay-service", topics = Topics.EVENTS_STORED, autoStartup = "false")
    void onStored(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new MalformedStoredEventException("record without a stored event");
        }
        StoredEvent stored = Json.read(record.value(), StoredEvent.class);
        FanoutPlanner.Plan plan = planner.plan(stored);
        List<CompletableFuture<SendResult<String, String>>> sends = new ArrayList<>();
        if (plan.ack() != null) {
            sends.add(send(plan.ack()));
        }
        plan.events().forEach(delivery -> sends.add(send(delivery)));
        awaitAll(sends);
        latest.remember(stored.userId(), stored.event());
        if (plan.ack() != null) {
            acksRouted.increment();
        }
        deliveriesSent.increment(plan.events().size());
        if (!plan.events().isEmpty()) {
            eventsFannedOut.increment();
        }
    }

    private CompletableFuture<SendResult<String, String>> send(Delivery delivery) {
        return kafka.send(new ProducerRecord<>(Topics.DELIVERIES, delivery.nodeId(), delivery.userId(),
                Json.write(delivery)));
    }

    private void awaitAll(List<CompletableFuture<SendResult<String, String>>> sends) {
        long deadline = System.nanoTime() + properties.sendTimeout().toNanos();
        try {
            for (CompletableFuture<SendResult<String, String>> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailedException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DeliveryFailedException(e);
        }
    }

    /** A delivery did not reach the broker in time; the error handler retries the whole record. */
    static class DeliveryFailedException extends RuntimeException {

        DeliveryFailedException(Throwable cause) {
            super("sending to " + Topics.DELIVERIES + " failed", cause);
        }
    }
}
