package dev.pocketbridge.gateway.routing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

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
import tools.jackson.core.JacksonException;

/**
 * Publishes this node's epoch at start ({@link Presence.NodeStarted}, again every
 * {@code presence-heartbeat-interval}) and each session's open and close to the compacted
 * {@code presence} topic, from which relay-service routes deliveries.
 * <p>
 * A record the broker never took (Kafka unreachable for longer than the producer's delivery
 * timeout) is not lost: every {@code presence-repair-interval} after a failure, this node's record
 * and every open session are announced again, and the closes that failed are sent again, until all
 * of them are acknowledged. Repairs run on the one publishing thread, so they keep their place
 * among the opens and closes that follow.
 * <p>
 * A closed session's key ends as a tombstone (its close record, then the tombstone). When a user is
 * deleted, {@link #forgetUser} also ends every other key of the user's sessions still live in the
 * compacted topic (sessions of an earlier life of any node, never closed) as a tombstone, so that no
 * record of the user's sessions is kept.
 */
@Component
class PresencePublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PresencePublisher.class);
    private static final Properties READER = new Properties();

    static {
        READER.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    }

    private final KafkaTemplate<String, String> kafka;
    private final ConsumerFactory<String, String> consumers;
    private final Clock clock;
    private final int nodeId;
    private final Duration startupTimeout;
    private volatile long epoch;
    private final Duration repairInterval;
    private final Duration heartbeatInterval;
    /** One thread keeps each session's open before its close and keeps a slow broker off the event loop. */
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "presence-publisher");
        t.setDaemon(true);
        return t;
    });
    /** Erases deleted users' keys: reading the topic back must not hold up the opens and closes. */
    private final ScheduledExecutorService eraser = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "presence-eraser");
        t.setDaemon(true);
        return t;
    });
    /** The sessions announced open and not closed since (touched on the publishing thread only). */
    private final Map<String, LocalSession> open = new LinkedHashMap<>();
    /** Closes the broker did not take, by session id, to send again. */
    private final Map<String, Presence.SessionClosed> unsentCloses = new ConcurrentHashMap<>();
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
        this.heartbeatInterval = properties.presenceHeartbeatInterval();
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
        onSender(() -> send(nodeRecord(), false));
        sender.scheduleWithFixedDelay(this::repairIfNeeded, repairInterval.toMillis(), repairInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        // The heartbeat: readers tell a crashed node (silent) from a quiet one by their own clocks.
        sender.scheduleWithFixedDelay(() -> send(nodeRecord(), false), heartbeatInterval.toMillis(),
                heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
        running = true;
    }

    void sessionOpened(LocalSession s) {
        onSender(() -> {
            open.put(s.sessionId(), s);
            send(openRecord(s), false);
        });
    }

    void sessionClosed(LocalSession s) {
        Presence.SessionClosed closed = new Presence.SessionClosed(nodeId, epoch, s.userId(), s.deviceId(),
                s.sessionId(), clock.millis());
        onSender(() -> {
            open.remove(s.sessionId());
            sendClose(closed);
        });
    }

    /**
     * A deleted user: on a thread of its own, reads the whole topic back and writes a tombstone for
     * every session key whose newest record is the user's and not a tombstone yet, whichever node
     * published it (a session of a node's earlier life never got its close). Every node does it, so
     * the keys of a node id that no longer runs are erased too; tombstones are idempotent. The
     * user's sessions on this node are closed as usual (close record, then tombstone) and their
     * keys end as tombstones whichever write comes last. Tried again every
     * {@code presence-repair-interval} until the topic was read and every tombstone taken.
     */
    void forgetUser(String userId) {
        try {
            eraser.execute(() -> erase(userId));
        } catch (RejectedExecutionException e) {
            log.debug("presence of a deleted user not erased after shutdown");
        }
    }

    private void erase(String userId) {
        try {
            Map<String, Integer> live = liveKeysOf(userId);
            List<CompletableFuture<?>> sent = live.entrySet().stream()
                    .<CompletableFuture<?>>map(key -> kafka.send(
                            new ProducerRecord<>(Topics.PRESENCE, key.getValue(), key.getKey(), null)))
                    .toList();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
            if (!live.isEmpty()) {
                log.info("wrote tombstones for {} presence keys of a deleted user", live.size());
            }
        } catch (RuntimeException | ExecutionException e) {
            log.warn("presence of a deleted user not erased yet, trying again in {}: {}", repairInterval,
                    e.toString());
            try {
                eraser.schedule(() -> erase(userId), repairInterval.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                log.debug("presence of a deleted user not erased after shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Session keys whose newest record is a session of the user, with the partition they are on. */
    private Map<String, Integer> liveKeysOf(String userId) {
        List<TopicPartition> partitions = kafka.partitionsFor(Topics.PRESENCE).stream()
                .map(p -> new TopicPartition(Topics.PRESENCE, p.partition())).toList();
        Map<String, Integer> live = new HashMap<>();
        readFromBeginning("presence-eraser-", partitions, r -> {
            if (r.key() == null) {
                return;
            }
            if (r.value() != null && userId.equals(userOf(r.value()))) {
                live.put(r.key(), r.partition());
            } else {
                live.remove(r.key()); // a tombstone, or another user's or unreadable record, is the key's newest
            }
        });
        return live;
    }

    private static String userOf(String value) {
        Presence presence;
        try {
            presence = Json.read(value, Presence.class);
        } catch (JacksonException e) {
            return null;
        }
        return switch (presence) {
            case null -> null;
            case Presence.Session session -> session.userId();
            case Presence.NodeStarted node -> null;
        };
    }

    /** Whether some record was not taken and is still to be sent again. */
    boolean repairPending() {
        return repairNeeded.get() || !unsentCloses.isEmpty();
    }

    private Presence.NodeStarted nodeRecord() {
        return new Presence.NodeStarted(nodeId, epoch, clock.millis());
    }

    private Presence.SessionOpened openRecord(LocalSession s) {
        return new Presence.SessionOpened(nodeId, epoch, s.userId(), s.deviceId(), s.sessionId(), clock.millis());
    }

    private void sendClose(Presence.SessionClosed closed) {
        // The closed record is for live readers (last seen); the tombstone lets compaction forget the session.
        send(closed, false);
        send(closed, true);
    }

    /** On the publishing thread: announces this node and its open sessions again after a failure. */
    private void repairIfNeeded() {
        if (!repairNeeded.getAndSet(false) && unsentCloses.isEmpty()) {
            return;
        }
        log.info("announcing this node and its {} open sessions again after a presence record was not published",
                open.size());
        send(nodeRecord(), false);
        for (LocalSession s : open.values()) {
            if (repairNeeded.get()) {
                return; // the broker is still away (a send failed at once): the next repair starts over
            }
            send(openRecord(s), false);
        }
        for (Map.Entry<String, Presence.SessionClosed> close : Map.copyOf(unsentCloses).entrySet()) {
            if (repairNeeded.get()) {
                return;
            }
            unsentCloses.remove(close.getKey());
            sendClose(close.getValue());
        }
    }

    private void onSender(Runnable task) {
        try {
            sender.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("presence not published after shutdown");
        }
    }

    /** @param tombstone whether to send the key's tombstone rather than the record */
    private void send(Presence presence, boolean tombstone) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.PRESENCE, partitionOf(presence),
                    presence.key(), tombstone ? null : Json.write(presence));
            kafka.send(record).whenComplete((r, e) -> {
                if (e != null) {
                    notPublished(presence, e);
                }
            });
        } catch (RuntimeException e) {
            notPublished(presence, e);
        }
    }

    /** A close is sent again (record and tombstone); anything else by announcing everything again. */
    private void notPublished(Presence presence, Throwable e) {
        log.warn("presence {} not published, will be sent again: {}", presence.key(), e.toString());
        switch (presence) {
            case Presence.SessionClosed closed -> unsentCloses.putIfAbsent(closed.sessionId(), closed);
            case Presence.SessionOpened opened -> repairNeeded.set(true);
            case Presence.NodeStarted node -> repairNeeded.set(true);
        }
    }

    /**
     * Every record of one device goes to one partition, so readers see its sessions open and close
     * in the order they happened on any node: the last session opened is the device's current one.
     * A node's records are spread by their key.
     */
    private int partitionOf(Presence presence) {
        return switch (presence) {
            case Presence.Session session -> partitionOf(session.deviceId());
            case Presence.NodeStarted node -> partitionOf(node.key());
        };
    }

    private int partitionOf(String hashed) {
        int partitions = kafka.partitionsFor(Topics.PRESENCE).size();
        return Utils.toPositive(Utils.murmur2(hashed.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * The epoch of this node's last record on the compacted topic, or -1 (none, or unreadable in time).
     * Read from the record's {@code epoch} alone, so that a record of an earlier schema version
     * (schema version 1, before an upgrade) counts too: a node record has always carried it.
     */
    private long previousEpoch() {
        String key = Topics.presenceNodeKey(nodeId);
        long[] previous = {-1};
        try {
            readFromBeginning("presence-epoch-", List.of(new TopicPartition(Topics.PRESENCE, partitionOf(key))), r -> {
                if (key.equals(r.key()) && r.value() != null) {
                    previous[0] = Math.max(previous[0], Json.mapper().readTree(r.value()).path("epoch").asLong(-1));
                }
            });
            return previous[0];
        } catch (RuntimeException e) {
            log.warn("could not read this node's last presence epoch ({}); using the clock alone", e.toString());
            return previous[0];
        }
    }

    /**
     * Hands {@code each} every record of {@code partitions} from the first retained one up to the end
     * offsets of now; gives up (a Kafka {@link TimeoutException}) after {@code startup-timeout} without progress.
     */
    private void readFromBeginning(String clientIdPrefix, List<TopicPartition> partitions,
            Consumer<ConsumerRecord<String, String>> each) {
        try (org.apache.kafka.clients.consumer.Consumer<String, String> consumer = consumers.createConsumer(null,
                clientIdPrefix, "-" + nodeId, READER)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, startupTimeout);
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, startupTimeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + partitions);
                }
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    deadline = System.nanoTime() + startupTimeout.toNanos();
                }
                records.forEach(each);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        sender.shutdown();
        eraser.shutdownNow();
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
