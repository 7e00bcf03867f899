package dev.pocketbridge.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.protocol.CloseCodes;

/**
 * The established sessions of this node, by session and by device. A device has at most one
 * session here: registering a new one closes the older with 4409. On shutdown, before the web
 * server stops, sessions stop taking events, get the outcomes of those in flight (bounded by the
 * drain timeout) and are closed with 1001.
 */
@Component
public class SessionRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
    private static final Duration DRAIN_POLL = Duration.ofMillis(50);

    private final Map<String, LocalSession> bySession = new ConcurrentHashMap<>();
    private final Map<String, LocalSession> byDevice = new ConcurrentHashMap<>();
    private final PresencePublisher presence;
    private final Duration drainTimeout;
    private volatile boolean running;
    private volatile boolean draining;

    SessionRegistry(PresencePublisher presence, RoutingProperties properties) {
        this.presence = presence;
        this.drainTimeout = properties.drainTimeout();
    }

    /** Adds an established session, announces it online and supersedes an older session of the device. */
    public void register(LocalSession session) {
        if (draining) {
            session.close(CloseCodes.GOING_AWAY, "server shutting down");
            return;
        }
        bySession.put(session.sessionId(), session);
        LocalSession older = byDevice.put(session.deviceId(), session);
        presence.sessionOpened(session);
        if (older != null && older != session) {
            older.close(CloseCodes.SUPERSEDED, "the device connected elsewhere");
        }
    }

    /** Removes a closed session and announces it offline; a no-op for a session never registered. */
    public void unregister(LocalSession session) {
        if (bySession.remove(session.sessionId(), session)) {
            byDevice.remove(session.deviceId(), session);
            presence.sessionClosed(session);
        }
    }

    Optional<LocalSession> session(String sessionId) {
        return Optional.ofNullable(bySession.get(sessionId));
    }

    Optional<LocalSession> device(String deviceId) {
        return Optional.ofNullable(byDevice.get(deviceId));
    }

    public int size() {
        return bySession.size();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        // Runs before the deliveries consumer stops, so outcomes of in-flight events still arrive.
        draining = true;
        List<LocalSession> open = List.copyOf(bySession.values());
        if (!open.isEmpty()) {
            log.info("draining {} sessions for shutdown", open.size());
        }
        open.forEach(LocalSession::drain);
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (open.stream().anyMatch(s -> s.pendingEvents() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List.copyOf(bySession.values()).forEach(s -> s.close(CloseCodes.GOING_AWAY, "server shutting down"));
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
