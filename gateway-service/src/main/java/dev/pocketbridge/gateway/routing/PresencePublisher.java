package dev.pocketbridge.gateway.routing;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

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
        publish(Presence.session(nodeId, epoch, s.userId(), s.deviceId(), s.sessionId(), false, clock.millis()));
    }

    private void publish(Presence presence) {
        try {
            sender.execute(() -> send(presence));
        } catch (RejectedExecutionException e) {
            log.debug("presence {} not published after shutdown", presence.key());
        }
    }

    private void send(Presence presence) {
        try {
            kafka.send(Topics.PRESENCE, presence.key(), Json.write(presence)).whenComplete((r, e) -> {
                if (e != null) {
                    log.warn("presence {} not published: {}", presence.key(), e.toString());
                }
            });
        } catch (RuntimeException e) {
            log.warn("presence {} not published: {}", presence.key(), e.toString());
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
