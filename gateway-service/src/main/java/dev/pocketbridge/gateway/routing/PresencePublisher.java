package dev.pocketbridge.gateway.routing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;

/**
 * Publishes this node's epoch at start and each session's open and close to the compacted
 * {@code presence} topic, from which relay-service routes deliveries.
 */
@Component
class PresencePublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PresencePublisher.class);

    private final KafkaTemplate<String, String> kafka;
    private final Clock clock;
    private final int nodeId;
    private final long epoch;
    /** One thread keeps each session's open before its close and keeps a slow broker off the event loop. */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "presence-publisher");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;

    PresencePublisher(KafkaTemplate<String, String> kafka, Clock clock, RoutingProperties properties) {
        this.kafka = kafka;
        this.clock = clock;
        this.nodeId = properties.nodeId();
        this.epoch = clock.millis();
    }

    long epoch() {
        return epoch;
    }

    @Override
    public void start() {
        // Before any session opens: relay drops the entries of older epochs of this node.
        publish(Presence.node(nodeId, epoch, clock.millis()));
        running = true;
    }

    void sessionOpened(LocalSession s) {
        publish(Presence.session(nodeId, epoch, s.userId(), s.deviceId(), s.sessionId(), true, clock.millis()));
    }

    void sessionClosed(LocalSession s) {
        Presence closed = Presence.session(nodeId, epoch, s.userId(), s.deviceId(), s.sessionId(), false, clock.millis());
        publish(closed);
        // The closed record is for live readers (last seen); the tombstone lets compaction forget the session.
        publish(closed, true);
    }

    private void publish(Presence presence) {
        publish(presence, false);
    }

    private void publish(Presence presence, boolean tombstone) {
        try {
            sender.execute(() -> send(presence, tombstone));
        } catch (RejectedExecutionException e) {
            log.debug("presence {} not published after shutdown", presence.key());
        }
    }

    private void send(Presence presence, boolean tombstone) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.PRESENCE, partitionOf(presence),
                    presence.key(), tombstone ? null : Json.write(presence));
            kafka.send(record).whenComplete((r, e) -> {
                if (e != null) {
                    log.warn("presence {} not published: {}", presence.key(), e.toString());
                }
            });
        } catch (RuntimeException e) {
            log.warn("presence {} not published: {}", presence.key(), e.toString());
        }
    }

    /**
     * Every record of one device goes to one partition, so readers see its sessions open and close
     * in the order they happened on any node: the last session opened is the device's current one.
     * Node records are spread by key.
     */
    private Integer partitionOf(Presence presence) {
        if (presence.deviceId() == null) {
            return null;
        }
        int partitions = kafka.partitionsFor(Topics.PRESENCE).size();
        return Utils.toPositive(Utils.murmur2(presence.deviceId().getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public void stop() {
        running = false;
        sender.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Starts before the deliveries consumer and the web server, stops after them.
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
