package dev.pocketbridge.gateway.session;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.DeviceAck;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.RecordObservations;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Produces what devices send to {@code events.inbound} and {@code acks}, keyed by {@code user_id}.
 * The producer's {@code send} may block for metadata, so it runs off the event loop; the returned
 * {@link Mono} completes once the record is handed to the producer (so records subscribed one
 * after another keep their order), and {@code failed} is told when it does not reach the broker,
 * whether {@code send} threw at once or the broker failed it later.
 *
 * <p>Each event begins its own trace here: an observation {@value #EVENT_OBSERVATION} (span
 * {@code event publish}, attribute {@value RecordObservations#EVENT_ID}) from the frame's arrival until the record
 * is handed to the producer, current while it is, so the producer's span and the record's
 * {@code traceparent} header continue it (docs/tracing-and-logs.md).
 */
@Component
class InboundPublisher {

    static final String EVENT_OBSERVATION = "pocketbridge.gateway.event";

    private final KafkaTemplate<String, String> kafka;
    private final ObservationRegistry observations;

    /** @param observed whether records produced are observed at all ({@code spring.kafka.template.observation-enabled}) */
    InboundPublisher(KafkaTemplate<String, String> kafka, ObservationRegistry observations,
            @Value("${spring.kafka.template.observation-enabled:false}") boolean observed) {
        this.kafka = kafka;
        this.observations = observed ? observations : ObservationRegistry.NOOP;
    }

    Mono<Void> event(InboundEvent event, Consumer<Throwable> failed) {
        Observation observation = Observation.createNotStarted(EVENT_OBSERVATION, observations)
                .contextualName("event publish")
                .highCardinalityKeyValue(RecordObservations.EVENT_ID, String.valueOf(event.event().eventId()))
                .start();
        return produce(() -> {
            try (Observation.Scope scope = observation.openScope()) {
                return kafka.send(Topics.EVENTS_INBOUND, event.userId(), Json.write(event));
            }
        }, e -> {
            observation.error(e);
            failed.accept(e);
        }).doFinally(signal -> observation.stop());
    }

    Mono<Void> ack(DeviceAck ack, Consumer<Throwable> failed) {
        return produce(() -> kafka.send(Topics.ACKS, ack.userId(), Json.write(ack)), failed);
    }

    private static Mono<Void> produce(Callable<CompletableFuture<?>> send, Consumer<Throwable> failed) {
        return Mono.fromCallable(send)
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(future -> future.whenComplete((r, e) -> {
                    if (e != null) {
                        failed.accept(e);
                    }
                }))
                .onErrorResume(e -> {
                    failed.accept(e);
                    return Mono.empty();
                })
                .then();
    }
}
