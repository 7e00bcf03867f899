package dev.pocketbridge.gateway.routing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;

/**
 * Publishes this node's epoch at start and each session's open and close to the compacted
 * {@code presence} topic, from which relay-service routes deliveries.
 * <p>
 * A record the broker never took (Kafka unreachable for longer than the producer's delivery
 * timeout) is not lost: every {@code presence-repair-interval} after a failure, this node's record
 * and every open session are announced again, and the closes that failed are sent again, until all
 * of them are acknowledged. Repairs run on the one publishing thread, so they keep their place
 * among the opens and closes that follow.
 */
@Component
class PresencePublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PresencePublisher.class);
    private static final Properties EPOCH_READER = new Properties();

    static {
        EPOCH_READER.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    }

    private final KafkaTemplate<String, String> kafka;
    private final ConsumerFactory<String, String> consumers;
    private final Clock clock;
    private final int nodeId;
    private final Duration startupTimeout;
    private volatile long epoch;
    private final Duration repairInterval;
    /** One thread keeps each session's open before its close and keeps a slow broker off the event loop. */
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "presence-publisher");
        t.setDaemon(true);
        return t;
    });
    /** The sessions announced open and not closed since (touched on the publishing thread only). */
    private final Map<String, LocalSession> open = new LinkedHashMap<>();
    /** Closes the broker did not take, by session id, to send again. */
    private final Map<String, Presence> unsentCloses = new ConcurrentHashMap<>();
    /** Set when a record was not taken: the next repair announces everything again. */
    private final AtomicBoolean repairNeeded = new AtomicBoolean();
    private volatile boolean running;

    PresencePublisher(KafkaTemplate<String, String> kafka, ConsumerFactory<String, String> consumers, Clock clock,
            RoutingProperties properties) {
        this.kafka = kafka;
        this.consumers = consumers;
        this.clock = clock;
        this.nodeId = properties.nodeId();
        this.startupTimeout = properties.startupTimeout();
        this.repairInterval = properties.presenceRepairInterval();
    }

    /** This life's epoch: above every earlier one of this node, whatever the clock says (set at start). */
    long epoch() {
        return epoch;
    }

    @Override
    public void start() {
        // Relay drops the sessions of a node's older epochs: a node restarted with its clock behind its
        // last life must still get a higher one, so the last epoch is read back from the topic.
        long previous = previousEpoch();
        epoch = Math.max(clock.millis(), previous + 1);
        // Before any session opens: relay drops the entries of older epochs of this node.
        onSender(() -> send(nodeRecord(), false, null));
        sender.scheduleWithFixedDelay(this::repairIfNeeded, repairInterval.toMillis(), repairInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        running = true;
    }

    void sessionOpened(LocalSession s) {
        onSender(() -> {
            open.put(s.sessionId(), s);
            send(openRecord(s), false, null);
        });
    }

    void sessionClosed(LocalSession s) {
        Presence closed = Presence.session(nodeId, epoch, s.userId(), s.deviceId(), s.sessionId(), false, clock.millis());
        onSender(() -> {
            open.remove(s.sessionId());
            sendClose(s.sessionId(), closed);
        });
    }

    /** Whether some record was not taken and is still to be sent again. */
    boolean repairPending() {
        return repairNeeded.get() || !unsentCloses.isEmpty();
    }

    private Presence nodeRecord() {
        return Presence.node(nodeId, epoch, clock.millis());
    }

    private Presence openRecord(LocalSession s) {
        return Presence.session(nodeId, epoch, s.userId(), s.deviceId(), s.sessionId(), true, clock.millis());
    }

    private void sendClose(String sessionId, Presence closed) {
        // The closed record is for live readers (last seen); the tombstone lets compaction forget the session.
        send(closed, false, sessionId);
        send(closed, true, sessionId);
    }

    /** On the publishing thread: announces this node and its open sessions again after a failure. */
    private void repairIfNeeded() {
        if (!repairNeeded.getAndSet(false) && unsentCloses.isEmpty()) {
            return;
        }
        log.info("announcing this node and its {} open sessions again after a presence record was not published",
                open.size());
        send(nodeRecord(), false, null);
        for (LocalSession s : open.values()) {
            if (repairNeeded.get()) {
                return; // the broker is still away (a send failed at once): the next repair starts over
            }
            send(openRecord(s), false, null);
        }
        for (Map.Entry<String, Presence> close : Map.copyOf(unsentCloses).entrySet()) {
            if (repairNeeded.get()) {
                return;
            }
            unsentCloses.remove(close.getKey());
            sendClose(close.getKey(), close.getValue());
        }
    }

    private void onSender(Runnable task) {
        try {
            sender.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("presence not published after shutdown");
        }
    }

    /** @param closeOf the session a close record is about, to send again if it fails; null for others */
    private void send(Presence presence, boolean tombstone, String closeOf) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.PRESENCE, partitionOf(presence),
                    presence.key(), tombstone ? null : Json.write(presence));
            kafka.send(record).whenComplete((r, e) -> {
                if (e != null) {
                    notPublished(presence, closeOf, e);
                }
            });
        } catch (RuntimeException e) {
            notPublished(presence, closeOf, e);
        }
    }

    private void notPublished(Presence presence, String closeOf, Throwable e) {
        log.warn("presence {} not published, will be sent again: {}", presence.key(), e.toString());
        if (closeOf != null) {
            unsentCloses.putIfAbsent(closeOf, presence);
        } else {
            repairNeeded.set(true);
        }
    }

    /**
     * Every record of one device goes to one partition, so readers see its sessions open and close
     * in the order they happened on any node: the last session opened is the device's current one.
     * A node's records are spread by their key.
     */
    private int partitionOf(Presence presence) {
        return partitionOf(presence.deviceId() == null ? presence.key() : presence.deviceId());
    }

    private int partitionOf(String hashed) {
        int partitions = kafka.partitionsFor(Topics.PRESENCE).size();
        return Utils.toPositive(Utils.murmur2(hashed.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The epoch of this node's last record on the compacted topic, or -1 (none, or unreadable in time). */
    private long previousEpoch() {
        String key = Topics.presenceNodeKey(nodeId);
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        long previous = -1;
        try (Consumer<String, String> consumer = consumers.createConsumer(null, "presence-epoch-", "-" + nodeId,
                EPOCH_READER)) {
            TopicPartition partition = new TopicPartition(Topics.PRESENCE, partitionOf(key));
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), startupTimeout).get(partition);
            while (consumer.position(partition, startupTimeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + partition);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key()) && r.value() != null) {
                        previous = Math.max(previous, Json.read(r.value(), Presence.class).epoch());
                    }
                }
            }
            return previous;
        } catch (RuntimeException e) {
            log.warn("could not read this node's last presence epoch ({}); using the clock alone", e.toString());
            return previous;
        }
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
