package dev.pocketbridge.gateway.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.springframework.beans.factory.annotation.Autowired;
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
 * The returned {@link Mono} completes once the record is handed to the producer (so records
 * subscribed one after another keep their order), and {@code failed} is told when it does not
 * reach the broker, whether {@code send} threw at once or the broker failed it later.
 *
 * <p>The producer's {@code send} blocks (up to {@code max.block.ms}) in two cases only: it does not
 * know the topic's partitions, or its buffer ({@code buffer.memory}) is full. A record is handed
 * over on the calling thread (the session's event loop) only while neither can happen: the broker
 * took a record of the topic within the last {@link #BROKER_ANSWERED} and none failed since, the
 * producer is connected to a broker now, and the records handed over whose outcome is not known yet
 * take less than half the buffer. Otherwise the record is handed over from a worker thread, as
 * every record once was: at low rates, after a start, and from a lost connection or a failure until
 * the broker takes a record again. On this project's 2-core machine the hand-off between threads
 * cost the gateway more CPU than the send (docs/performance.md, "Threads handing work to each
 * other"). What is left is a send in the instant between a broker going away and the producer
 * noticing: it blocks its event loop for up to {@code max.block.ms}, once, and fails (the session
 * closes with 1013, as a failed send always did).
 *
 * <p>Each event begins its own trace here: an observation {@value #EVENT_OBSERVATION} (span
 * {@code event publish}, attribute {@value RecordObservations#EVENT_ID}) from the frame's arrival until the record
 * is handed to the producer, current while it is, so the producer's span and the record's
 * {@code traceparent} header continue it (docs/tracing-and-logs.md).
 */
@Component
class InboundPublisher {

    static final String EVENT_OBSERVATION = "pocketbridge.gateway.event";
    /** How long after the broker took a record of a topic, with none failed since, its partitions are surely still known. */
    static final Duration BROKER_ANSWERED = Duration.ofSeconds(1);
    private static final long DEFAULT_BUFFER_MEMORY = 32L * 1024 * 1024;

    private final KafkaTemplate<String, String> kafka;
    private final ObservationRegistry observations;
    /** Bytes of the records handed over whose outcome is not known yet. */
    private final AtomicLong unsettledBytes = new AtomicLong();
    private final long inPlaceBytes;
    private final long brokerAnsweredNanos;
    /** Per topic, when the broker last took one of its records ({@link System#nanoTime()}); none after a failure. */
    private final Map<String, Long> lastTaken = new ConcurrentHashMap<>();
    /** The producer's {@code connection-count} gauge, once found. */
    private volatile Metric connectionCount;

    /** @param observed whether records produced are observed at all ({@code spring.kafka.template.observation-enabled}) */
    @Autowired
    InboundPublisher(KafkaTemplate<String, String> kafka, ObservationRegistry observations,
            @Value("${spring.kafka.template.observation-enabled:false}") boolean observed) {
        this(kafka, observations, observed, bufferMemory(kafka) / 2, BROKER_ANSWERED);
    }

    /**
     * @param inPlaceBytes   while the records with no outcome yet take fewer bytes than this, a record may be handed over in place
     * @param brokerAnswered for how long after the broker took a record of a topic the next may be handed over in place
     */
    InboundPublisher(KafkaTemplate<String, String> kafka, ObservationRegistry observations, boolean observed,
            long inPlaceBytes, Duration brokerAnswered) {
        this.kafka = kafka;
        this.observations = observed ? observations : ObservationRegistry.NOOP;
        this.inPlaceBytes = inPlaceBytes;
        this.brokerAnsweredNanos = brokerAnswered.toNanos();
    }

    private static long bufferMemory(KafkaTemplate<String, String> kafka) {
        Object configured = kafka.getProducerFactory().getConfigurationProperties().get(ProducerConfig.BUFFER_MEMORY_CONFIG);
        return configured == null ? DEFAULT_BUFFER_MEMORY : Long.parseLong(configured.toString());
    }

    Mono<Void> event(InboundEvent event, Consumer<Throwable> failed) {
        Observation observation = Observation.createNotStarted(EVENT_OBSERVATION, observations)
                .contextualName("event publish")
                .highCardinalityKeyValue(RecordObservations.EVENT_ID, String.valueOf(event.event().eventId()))
                .start();
        return produce(Topics.EVENTS_INBOUND, () -> Json.write(event), value -> {
            try (Observation.Scope scope = observation.openScope()) {
                return kafka.send(Topics.EVENTS_INBOUND, event.userId(), value);
            }
        }, e -> {
            observation.error(e);
            failed.accept(e);
        }).doFinally(signal -> observation.stop());
    }

    Mono<Void> ack(DeviceAck ack, Consumer<Throwable> failed) {
        return produce(Topics.ACKS, () -> Json.write(ack), value -> kafka.send(Topics.ACKS, ack.userId(), value), failed);
    }

    /**
     * Writes the record's value and hands it to the producer, in place or from a worker
     * ({@link #inPlace}). Its size is counted in characters: the values are JSON whose bulk is
     * base64, so that is their size in bytes but for a few short names.
     */
    private Mono<Void> produce(String topic, Supplier<String> write, Function<String, CompletableFuture<?>> send,
            Consumer<Throwable> failed) {
        return Mono.defer(() -> {
            String value = write.get();
            long bytes = value.length();
            Mono<CompletableFuture<?>> handedOver = Mono.fromCallable(() -> {
                unsettledBytes.addAndGet(bytes);
                try {
                    return send.apply(value);
                } catch (RuntimeException e) {
                    unsettledBytes.addAndGet(-bytes);
                    throw e;
                }
            });
            if (!inPlace(topic, bytes)) {
                handedOver = handedOver.subscribeOn(Schedulers.boundedElastic());
            }
            return handedOver.doOnNext(future -> future.whenComplete((r, e) -> {
                unsettledBytes.addAndGet(-bytes);
                if (e != null) {
                    lastTaken.remove(topic);
                    failed.accept(e);
                } else {
                    lastTaken.put(topic, System.nanoTime());
                }
            }));
        }).onErrorResume(e -> {
            lastTaken.remove(topic);
            failed.accept(e);
            return Mono.empty();
        }).then();
    }

    /** Whether {@code send} cannot block now for a record of {@code bytes} to {@code topic}. */
    boolean inPlace(String topic, long bytes) {
        Long taken = lastTaken.get(topic);
        return taken != null && System.nanoTime() - taken < brokerAnsweredNanos
                && unsettledBytes.get() + bytes < inPlaceBytes && connected();
    }

    /**
     * Whether the producer holds a connection to a broker now ({@code connection-count}, a gauge of
     * its open sockets; true when the producer has no such metric). When the last broker goes away,
     * the producer may forget every topic at once (Kafka 4's {@code metadata.recovery.strategy}
     * {@code rebootstrap}), before any record of it has failed.
     */
    private boolean connected() {
        Metric count = connectionCount;
        if (count != null && openConnections(count) > 0) {
            return true;
        }
        // Not found yet, or none open: look again, in case the template made a new producer since.
        count = kafka.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("connection-count") && e.getKey().group().equals("producer-metrics"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        connectionCount = count;
        return count == null || openConnections(count) > 0;
    }

    private static double openConnections(Metric count) {
        return count.metricValue() instanceof Number open ? open.doubleValue() : 0;
    }
}
