package dev.pocketbridge.gateway.routing;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.ConsumerLag;
import dev.pocketbridge.kafka.PocketBridgeKafkaProperties;
import dev.pocketbridge.kafka.RecordObservations;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;

/**
 * Reads partition {@code node-id} of {@code deliveries} with a spring-kafka listener container, a
 * poll's records at a time, and hands each frame to the local session(s) it is addressed to.
 * Manually assigned, no consumer group, positioned at the end at start-up: deliveries for sessions
 * of an earlier run of this node have nobody to go to.
 *
 * <p>The container is watched: if its consumer stops abnormally it is replaced after a pause by a
 * new one that resumes where the old one stopped, and while the consumer is not assigned, stopped,
 * or has not polled for {@code stall-timeout}, {@link #isHealthy()} is false and so is readiness.
 * (An {@code OutOfMemoryError} ends the JVM: the services run with {@code -XX:+ExitOnOutOfMemoryError}.)
 */
@Component
public class DeliveriesConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveriesConsumer.class);
    private static final String CLIENT_ID_PREFIX = "gateway-deliveries-";
    /** Its {@code listener} tag in {@link ConsumerLag#METRIC}. */
    static final String LISTENER = "gateway-deliveries";

    private final ConsumerFactory<String, String> consumers;
    private final SessionRegistry registry;
    private final RoutingProperties properties;
    private final TopicPartition partition;
    private final RecordObservations observations;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deliveries-restart");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;
    private volatile boolean assigned;
    /** When the consumer last showed it is alive: a batch, an idle poll interval, or its assignment. */
    private volatile long lastAliveNanos = System.nanoTime();
    private volatile KafkaMessageListenerContainer<String, String> container;
    /** Where to resume after the consumer is recreated; -1 until records arrive (then: the end). */
    private volatile long nextOffset = -1;

    /**
     * @throws IllegalStateException when this node's id has no partition of {@code deliveries}
     *         ({@code pocketbridge.kafka.deliveries-partitions}): nothing could ever reach its sessions
     */
    DeliveriesConsumer(ConsumerFactory<String, String> consumers, SessionRegistry registry,
            RoutingProperties properties, PocketBridgeKafkaProperties kafka, MeterRegistry meters,
            RecordObservations observations) {
        if (properties.nodeId() >= kafka.deliveriesPartitions()) {
            throw new IllegalStateException("pocketbridge.gateway.routing.node-id " + properties.nodeId()
                    + " must be below pocketbridge.kafka.deliveries-partitions " + kafka.deliveriesPartitions());
        }
        this.consumers = consumers;
        this.registry = registry;
        this.properties = properties;
        this.partition = new TopicPartition(Topics.DELIVERIES, properties.nodeId());
        ConsumerLag.register(meters, LISTENER, () -> container);
        this.observations = observations;
    }

    /** True once the consumer is assigned and positioned, so every later delivery reaches this node. */
    public boolean isAssigned() {
        return assigned;
    }

    /** Assigned, running, and polled recently: what readiness requires. */
    public boolean isHealthy() {
        KafkaMessageListenerContainer<String, String> c = container;
        return assigned && c != null && c.isRunning()
                && System.nanoTime() - lastAliveNanos < properties.stallTimeout().toNanos();
    }

    @Override
    public void start() {
        try (Consumer<String, String> probe = create()) {
            // Fail the start when the topic exists and has no partition for this node id.
            List<PartitionInfo> infos = probe.partitionsFor(Topics.DELIVERIES, properties.startupTimeout());
            if (infos != null && !infos.isEmpty()) {
                checkNodeId(infos.size());
            } else {
                log.warn("topic {} does not exist yet; the consumer waits for it", Topics.DELIVERIES);
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("cannot read the partitions of {} yet: {}", Topics.DELIVERIES, e.toString());
        }
        running = true;
        startContainer();
    }

    private Consumer<String, String> create() {
        return consumers.createConsumer(null, CLIENT_ID_PREFIX, Integer.toString(properties.nodeId()), overrides());
    }

    private void checkNodeId(int partitions) {
        if (properties.nodeId() >= partitions) {
            throw new IllegalStateException("pocketbridge.gateway.routing.node-id " + properties.nodeId()
                    + " has no partition: topic " + Topics.DELIVERIES + " has " + partitions);
        }
    }

    private synchronized void startContainer() {
        if (!running) {
            return;
        }
        long resumeAt = nextOffset;
        TopicPartitionOffset position = resumeAt < 0
                ? new TopicPartitionOffset(Topics.DELIVERIES, properties.nodeId(), TopicPartitionOffset.SeekPosition.END)
                : new TopicPartitionOffset(Topics.DELIVERIES, properties.nodeId(), resumeAt);
        ContainerProperties containerProperties = new ContainerProperties(position);
        containerProperties.setClientId(CLIENT_ID_PREFIX + properties.nodeId());
        containerProperties.setPollTimeout(properties.pollTimeout().toMillis());
        // Nothing is committed: there is no group, and a new run starts at the end.
        containerProperties.setAckMode(ContainerProperties.AckMode.MANUAL);
        containerProperties.setIdleEventInterval(properties.pollTimeout().toMillis());
        containerProperties.setKafkaConsumerProperties(overrides());
        containerProperties.setMessageListener(new Listener());
        KafkaMessageListenerContainer<String, String> c = new KafkaMessageListenerContainer<>(consumers,
                containerProperties);
        c.setBeanName("deliveries-" + properties.nodeId());
        // Dispatch catches per record; whatever still escapes is logged, never retried (it would stall the node).
        c.setCommonErrorHandler(new CommonLoggingErrorHandler());
        c.setApplicationEventPublisher(this::onContainerEvent);
        container = c;
        c.start();
        log.info("reading {} from {}", partition, resumeAt < 0 ? "the end" : "offset " + resumeAt);
    }

    private static Properties overrides() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return overrides;
    }

    private void onContainerEvent(Object event) {
        switch (event) {
            case ListenerContainerIdleEvent idle -> lastAliveNanos = System.nanoTime();
            case ConsumerStoppedEvent stopped -> {
                assigned = false;
                if (running && stopped.getReason() != ConsumerStoppedEvent.Reason.NORMAL) {
                    log.error("deliveries consumer stopped ({}); replacing it in {}", stopped.getReason(),
                            properties.retryBackoff());
                    restarts.schedule(this::startContainer, properties.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            default -> {
            }
        }
    }

    /** The container's listener: a poll's records, in order; also told when the partition is assigned. */
    private final class Listener implements BatchMessageListener<String, String>, ConsumerSeekAware {

        @Override
        public void onMessage(List<ConsumerRecord<String, String>> records) {
            lastAliveNanos = System.nanoTime();
            // Each record in its trace: writing an event to the sockets of the user's other devices is its last step.
            observations.observe(records, CLIENT_ID_PREFIX + properties.nodeId(), traced -> {
                for (ConsumerRecord<String, String> record : records) {
                    traced.within(record, () -> dispatchOrSkip(record));
                    nextOffset = record.offset() + 1;
                }
            });
        }

        private void dispatchOrSkip(ConsumerRecord<String, String> record) {
            try {
                dispatch(record.value());
            } catch (RuntimeException e) {
                // One bad record must not stall every session of this node.
                log.warn("skipping delivery {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        e.toString());
            }
        }

        @Override
        public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
            lastAliveNanos = System.nanoTime();
            assigned = assignments.containsKey(partition);
        }
    }

    /**
     * One delivery, to the addressed sessions of its user only; a record that cannot be read is
     * skipped (nothing in it can be delivered).
     */
    void dispatch(String value) {
        Delivery delivery;
        try {
            delivery = value == null ? null : Json.read(value, Delivery.class);
        } catch (JacksonException e) {
            log.warn("skipping an unreadable delivery: {}", e.getOriginalMessage());
            return;
        }
        if (delivery == null) {
            return;
        }
        switch (delivery) {
            case Delivery.Outcome outcome -> registry.session(outcome.sessionId())
                    .filter(s -> s.userId().equals(outcome.userId()))
                    .ifPresent(s -> s.deliverOutcome(outcome.frame()));
            case Delivery.LiveEvent live -> {
                for (String deviceId : live.deviceIds()) {
                    registry.device(deviceId)
                            .filter(s -> s.userId().equals(live.userId()))
                            .ifPresent(s -> s.deliverLive(live.event()));
                }
            }
            // The device connected on another node: this older session ends (PROTOCOL §3.1, 4409).
            case Delivery.CloseSession close -> registry.session(close.sessionId())
                    .filter(s -> s.userId().equals(close.userId()))
                    .ifPresent(s -> s.close(close.closeCode(), "the device connected elsewhere"));
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaMessageListenerContainer<String, String> c = container;
        if (c != null) {
            c.stop();
        }
        assigned = false;
        restarts.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 3072;
    }
}
