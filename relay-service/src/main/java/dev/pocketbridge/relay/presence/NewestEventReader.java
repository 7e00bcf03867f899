package dev.pocketbridge.relay.presence;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ServerFrame.DeliveredEvent;
import dev.pocketbridge.kafka.Deliveries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;

/**
 * Hands a newly opened session its user's newest event, read back from {@code events.stored} at the
 * offset {@link LatestEvents} noted, so the relay never holds payloads in memory. One thread with one
 * consumer assigned by hand (no group, nothing committed) and a bounded queue: when sessions open
 * faster than records can be read back, the surplus is skipped and counted. That is best effort, like
 * presence itself: such a device sees any gap with its user's next live event or at its next replay.
 */
@Component
class NewestEventReader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NewestEventReader.class);

    private final ConsumerFactory<Object, Object> consumerFactory;
    private final Deliveries deliveries;
    private final PresenceProperties properties;
    private final Clock clock;
    private final Counter skipped;
    private volatile ThreadPoolExecutor reader;
    /** Created on the reader thread and used only there; wakeup() is the one call from elsewhere. */
    private volatile Consumer<String, String> consumer;

    NewestEventReader(ConsumerFactory<Object, Object> consumerFactory, Deliveries deliveries,
            PresenceProperties properties, Clock clock, MeterRegistry registry) {
        this.consumerFactory = consumerFactory;
        this.deliveries = deliveries;
        this.properties = properties;
        this.clock = clock;
        this.skipped = Counter.builder("relay.newest_event.skipped")
                .description("Newly opened sessions not handed their user's newest event because the read-back queue was full")
                .register(registry);
    }

    /** Queues the read-back and delivery of {@code newest} to the device of {@code session}; never blocks. */
    void deliver(Presence.SessionOpened session, LatestEvents.Newest newest) {
        ThreadPoolExecutor r = reader;
        if (r == null || r.isShutdown()) {
            return;
        }
        r.execute(() -> readAndDeliver(session, newest));
    }

    private void readAndDeliver(Presence.SessionOpened session, LatestEvents.Newest newest) {
        try {
            DeliveredEvent event = read(newest);
            if (event == null) {
                log.debug("the newest event of user {} (seq {}) is no longer in {}", session.userId(), newest.seq(),
                        Topics.EVENTS_STORED);
                return;
            }
            if (event.expiresAt() != null && event.expiresAt() <= clock.millis()) {
                return;
            }
            deliveries.send(new Delivery.LiveEvent(session.nodeId(), session.userId(), List.of(session.deviceId()),
                    event));
        } catch (WakeupException e) {
            // Stopping.
        } catch (RuntimeException e) {
            log.warn("could not read back the newest event of user {}: {}", session.userId(), e.toString());
        }
    }

    /** The event at the noted offset, or null when the topic no longer holds it (retention) or it is another. */
    private DeliveredEvent read(LatestEvents.Newest newest) {
        Consumer<String, String> c = consumer();
        TopicPartition partition = new TopicPartition(Topics.EVENTS_STORED, newest.partition());
        c.assign(List.of(partition));
        c.seek(partition, newest.offset());
        for (ConsumerRecord<String, String> record : c.poll(properties.newestEventReadTimeout()).records(partition)) {
            if (record.offset() != newest.offset() || record.value() == null) {
                return null;
            }
            try {
                StoredEvent stored = Json.read(record.value(), StoredEvent.class);
                return stored.event() != null && stored.event().seq() == newest.seq() ? stored.event() : null;
            } catch (JacksonException e) {
                return null;
            }
        }
        return null;
    }

    private Consumer<String, String> consumer() {
        if (consumer == null) {
            Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
            // Assigned by hand and never committed: no group, so it cannot disturb the fan-out's group.
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "relay-newest-event");
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        }
        return consumer;
    }

    @Override
    public synchronized void start() {
        if (reader != null) {
            return;
        }
        ClassLoader applicationLoader = getClass().getClassLoader();
        reader = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.newestEventQueueCapacity()), task -> {
                    Thread thread = new Thread(task, "relay-newest-event");
                    thread.setDaemon(true);
                    // Kafka loads its classes through the context class loader (see PresenceCatchUp).
                    thread.setContextClassLoader(applicationLoader);
                    return thread;
                }, (task, executor) -> skipped.increment());
    }

    @Override
    public synchronized void stop() {
        if (reader == null) {
            return;
        }
        reader.shutdownNow();
        Consumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            reader.awaitTermination(properties.newestEventReadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (c != null) {
            c.close();
        }
        consumer = null;
        reader = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return reader != null;
    }
}
