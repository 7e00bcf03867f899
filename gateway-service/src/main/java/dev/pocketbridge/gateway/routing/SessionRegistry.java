package dev.pocketbridge.gateway.routing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.protocol.CloseCodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The established sessions of this node, by session and by device. A device has at most one
 * session here: registering a new one closes the older with 4409. An account change (the device
 * revoked or removed, the user deleted) closes the device's or the user's sessions with 4003. On
 * shutdown, before the web server stops, sessions stop taking events, get the outcomes of those in
 * flight (bounded by the drain timeout) and are closed with 1001.
 * <p>
 * Every close goes the same way: {@link LocalSession#close} ends the connection, which then
 * {@linkplain #unregister unregisters} itself, and its presence ends like any other close.
 */
@Component
public class SessionRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
    private static final Duration DRAIN_POLL = Duration.ofMillis(50);
    static final String ACCOUNT_CLOSES_METRIC = "pocketbridge.gateway.ws.account_closes";
    static final String ACTIVE_SESSIONS_METRIC = "pocketbridge.gateway.sessions.active";
    /**
     * Account closures remembered for handshakes still under way: far more than can happen within
     * one handshake timeout, the longest a handshake's answer from device-service can be waiting.
     */
    static final int REMEMBERED_CLOSURES = 10_000;

    private final Map<String, LocalSession> bySession = new ConcurrentHashMap<>();
    private final Map<String, LocalSession> byDevice = new ConcurrentHashMap<>();
    /**
     * Devices and users closed by an account change ({@code d:<device_id>} / {@code u:<user_id>}), with
     * when this node learned of it ({@link System#nanoTime()}), oldest first, at most
     * {@link #REMEMBERED_CLOSURES}.
     */
    private final Map<String, Long> closures = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_CLOSURES;
        }
    };
    private final PresencePublisher presence;
    private final Duration drainTimeout;
    private final Counter accountCloses;
    private volatile boolean running;
    private volatile boolean draining;

    SessionRegistry(PresencePublisher presence, RoutingProperties properties, MeterRegistry meters) {
        this.presence = presence;
        this.drainTimeout = properties.drainTimeout();
        this.accountCloses = Counter.builder(ACCOUNT_CLOSES_METRIC)
                .description("Sessions closed with 4003: device revoked or removed, or user deleted")
                .register(meters);
        Gauge.builder(ACTIVE_SESSIONS_METRIC, bySession, Map::size)
                .description("Established sessions on this node").register(meters);
    }

    /** Adds an established session, announces it online and supersedes an older session of the device. */
    public void register(LocalSession session) {
        if (draining) {
            session.close(CloseCodes.GOING_AWAY, "server shutting down");
            return;
        }
        bySession.put(session.sessionId(), session);
        LocalSession older = byDevice.put(session.deviceId(), session);
        log.info("session {} established", session.sessionId());
        presence.sessionOpened(session);
        if (older != null && older != session) {
            older.close(CloseCodes.SUPERSEDED, "the device connected elsewhere");
        }
        // Checked after the session is in the maps, and a closure is noted before the maps are read:
        // a change arriving at the same moment is seen by one side or the other (or both: closing twice is harmless).
        if (closedSinceChecked(session)) {
            accountCloses.increment();
            session.close(CloseCodes.DEVICE_REVOKED, "the device was revoked or removed, or its user deleted");
        }
    }

    /**
     * Closes the device's session on this node with 4003 (revoked or removed). A handshake of the
     * device whose answer from device-service was asked for before now and that completes later is
     * closed likewise when it registers: that answer may predate the change.
     *
     * @return the number of sessions closed (0 or 1)
     */
    public int closeDevice(String deviceId) {
        remember("d:" + deviceId);
        LocalSession session = byDevice.get(deviceId);
        if (session == null) {
            return 0;
        }
        accountCloses.increment();
        session.close(CloseCodes.DEVICE_REVOKED, "the device was revoked or removed");
        return 1;
    }

    /** Closes every session of the user on this node with 4003 (user deleted), and later handshakes as {@link #closeDevice}. */
    public int closeUser(String userId) {
        remember("u:" + userId);
        List<LocalSession> sessions = bySession.values().stream().filter(s -> s.userId().equals(userId)).toList();
        accountCloses.increment(sessions.size());
        sessions.forEach(s -> s.close(CloseCodes.DEVICE_REVOKED, "the user was deleted"));
        return sessions.size();
    }

    private void remember(String closed) {
        synchronized (closures) {
            closures.remove(closed); // re-inserted last, so the order stays oldest first
            closures.put(closed, System.nanoTime());
        }
    }

    /** Whether the device or the user was closed after device-service was asked about this session's device. */
    private boolean closedSinceChecked(LocalSession session) {
        synchronized (closures) {
            return closedSince(closures.get("d:" + session.deviceId()), session.checkedAtNanos())
                    || closedSince(closures.get("u:" + session.userId()), session.checkedAtNanos());
        }
    }

    private static boolean closedSince(Long closedAt, long checkedAt) {
        return closedAt != null && closedAt - checkedAt >= 0;
    }

    /** Removes a closed session and announces it offline; a no-op for a session never registered. */
    public void unregister(LocalSession session) {
        if (bySession.remove(session.sessionId(), session)) {
            byDevice.remove(session.deviceId(), session);
            presence.sessionClosed(session);
            log.info("session {} ended", session.sessionId());
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
