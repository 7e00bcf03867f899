package dev.pocketbridge.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ServerFrame;
import tools.jackson.core.JacksonException;

/**
 * Reads partition {@code node-id} of {@code deliveries} on its own thread and hands each frame to
 * the local session(s) it is addressed to. Manually assigned, no consumer group, positioned at the
 * end at start-up: deliveries for sessions of an earlier run of this node have nobody to go to.
 */
@Component
public class DeliveriesConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveriesConsumer.class);

    private final ConsumerFactory<String, String> consumers;
    private final SessionRegistry registry;
    private final RoutingProperties properties;
    private final TopicPartition partition;
    private volatile boolean running;
    private volatile boolean assigned;
    private volatile Consumer<String, String> consumer;
    private Thread thread;
    /** Where to resume after the consumer is recreated; null until first positioned. */
    private Long nextOffset;

    DeliveriesConsumer(ConsumerFactory<String, String> consumers, SessionRegistry registry,
            RoutingProperties properties) {
        this.consumers = consumers;
        this.registry = registry;
        this.properties = properties;
        this.partition = new TopicPartition(Topics.DELIVERIES, properties.nodeId());
    }

    /** True once the consumer is assigned and positioned, so every later delivery reaches this node. */
    public boolean isAssigned() {
        return assigned;
    }

    @Override
    public void start() {
        Consumer<String, String> first = create();
        try {
            // Fail the start when the topic exists and has no partition for this node id.
            List<PartitionInfo> infos = first.partitionsFor(Topics.DELIVERIES, properties.startupTimeout());
            if (infos != null && !infos.isEmpty()) {
                checkNodeId(infos.size());
            } else {
                log.warn("topic {} does not exist yet; waiting for it in the background", Topics.DELIVERIES);
            }
        } catch (IllegalStateException e) {
            first.close();
            throw e;
        } catch (RuntimeException e) {
            log.warn("cannot read the partitions of {} yet: {}", Topics.DELIVERIES, e.toString());
        }
        consumer = first;
        running = true;
        thread = new Thread(this::run, "deliveries-" + properties.nodeId());
        thread.setDaemon(true);
        thread.start();
    }

    private Consumer<String, String> create() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return consumers.createConsumer(null, "gateway-deliveries-", Integer.toString(properties.nodeId()),
                overrides);
    }

    private void checkNodeId(int partitions) {
        if (properties.nodeId() >= partitions) {
            throw new IllegalStateException("pocketbridge.gateway.routing.node-id " + properties.nodeId()
                    + " has no partition: topic " + Topics.DELIVERIES + " has " + partitions);
        }
    }

    private void run() {
        while (running) {
            Consumer<String, String> c = consumer != null ? consumer : create();
            consumer = c;
            try {
                position(c);
                while (running) {
                    for (ConsumerRecord<String, String> record : c.poll(properties.pollTimeout())) {
                        try {
                            dispatch(record.value());
                        } catch (RuntimeException e) {
                            // One bad record must not stall every session of this node.
                            log.warn("skipping delivery {}-{}@{}: {}", record.topic(), record.partition(),
                                    record.offset(), e.toString());
                        }
                        nextOffset = record.offset() + 1;
                    }
                }
            } catch (WakeupException e) {
                // stop() woke the poll
            } catch (IllegalStateException e) {
                log.error("deliveries consumer stopped: {}", e.getMessage());
                running = false;
            } catch (RuntimeException e) {
                log.warn("deliveries consumer failed, retrying in {}: {}", properties.retryBackoff(), e.toString());
                pause();
            } finally {
                assigned = false;
                closeQuietly(c);
                consumer = null;
            }
        }
    }

    private void position(Consumer<String, String> c) {
        List<PartitionInfo> infos = c.partitionsFor(Topics.DELIVERIES, properties.startupTimeout());
        while (running && (infos == null || infos.isEmpty())) {
            pause();
            infos = c.partitionsFor(Topics.DELIVERIES, properties.startupTimeout());
        }
        if (!running) {
            return;
        }
        checkNodeId(infos.size());
        c.assign(List.of(partition));
        if (nextOffset == null) {
            c.seekToEnd(List.of(partition));
            nextOffset = c.position(partition);
        } else {
            c.seek(partition, nextOffset);
        }
        assigned = true;
        log.info("reading {} from offset {}", partition, nextOffset);
    }

    /** One delivery; a record that cannot be read is skipped (nothing in it can be delivered). */
    void dispatch(String value) {
        Delivery delivery;
        try {
            delivery = Json.read(value, Delivery.class);
        } catch (JacksonException e) {
            log.warn("skipping an unreadable delivery: {}", e.getOriginalMessage());
            return;
        }
        if (delivery == null || delivery.userId() == null) {
            return;
        }
        if (delivery.sessionId() != null && delivery.closeCode() != null) {
            // The device connected on another node: this older session ends (PROTOCOL §3.1, 4409).
            registry.session(delivery.sessionId())
                    .filter(s -> s.userId().equals(delivery.userId()))
                    .ifPresent(s -> s.close(delivery.closeCode(), "the device connected elsewhere"));
            return;
        }
        if (delivery.frame() == null) {
            return;
        }
        if (delivery.sessionId() != null) {
            registry.session(delivery.sessionId())
                    .filter(s -> s.userId().equals(delivery.userId()))
                    .ifPresent(s -> s.deliverOutcome(delivery.frame()));
        } else if (delivery.deviceIds() != null && delivery.frame() instanceof ServerFrame.DeliveredEvent event) {
            for (String deviceId : delivery.deviceIds()) {
                registry.device(deviceId)
                        .filter(s -> s.userId().equals(delivery.userId()))
                        .ifPresent(s -> s.deliverLive(event));
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(properties.retryBackoff());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void closeQuietly(Consumer<String, String> c) {
        try {
            c.close(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            log.debug("closing the deliveries consumer: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(properties.pollTimeout().multipliedBy(4).toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
