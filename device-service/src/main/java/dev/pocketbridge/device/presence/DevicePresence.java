package dev.pocketbridge.device.presence;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.pocketbridge.common.kafka.Presence;

/**
 * Which devices are online, folded from the gateways' compacted {@code presence} topic. A session
 * counts only while its node is alive: the node announced itself or one of its sessions within
 * {@code nodeTimeout} by this service's own clock (gateways re-announce themselves periodically), so
 * a crashed gateway's sessions go offline within that time, and no two machines' clocks are ever
 * compared. A node's new epoch ends the sessions of its previous life.
 * <p>
 * Thread-safe: one lock around small maps; writes come from one consumer thread.
 */
public class DevicePresence {

    private record Session(String deviceId, int nodeId, long epoch) {
    }

    private final Clock clock;
    private final Duration nodeTimeout;
    /** Presence key {@code <device_id>:<session_id>} → session. */
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, Set<String>> keysByDevice = new HashMap<>();
    private final Map<Integer, Long> epochByNode = new HashMap<>();
    /** When this service last heard from each node (its own clock, epoch milliseconds). */
    private final Map<Integer, Long> heardFromNode = new HashMap<>();

    public DevicePresence(Clock clock, Duration nodeTimeout) {
        this.clock = clock;
        this.nodeTimeout = nodeTimeout;
    }

    /** Applies one record; {@code value} null is a tombstone. */
    public synchronized void apply(String key, Presence value) {
        long now = clock.millis();
        if (value == null) {
            if (key != null) {
                close(key);
            }
            return;
        }
        switch (value) {
            case Presence.NodeStarted node -> heard(node.nodeId(), node.epoch(), now);
            case Presence.SessionClosed closed -> close(closed.key());
            case Presence.SessionOpened opened -> {
                Long known = epochByNode.get(opened.nodeId());
                if (known != null && opened.epoch() < known) {
                    return;
                }
                heard(opened.nodeId(), opened.epoch(), now);
                sessions.put(opened.key(), new Session(opened.deviceId(), opened.nodeId(), opened.epoch()));
                keysByDevice.computeIfAbsent(opened.deviceId(), d -> new HashSet<>()).add(opened.key());
            }
        }
    }

    /** Whether the device has a session on a node heard from within the timeout. */
    public synchronized boolean online(String deviceId) {
        long now = clock.millis();
        return keysByDevice.getOrDefault(deviceId, Set.of()).stream()
                .map(sessions::get)
                .anyMatch(s -> alive(s.nodeId(), now));
    }

    /**
     * When the device was last seen by this view: now while it is online, the last word of its node
     * when that node went silent with the device's session open, null otherwise (the device's
     * recorded {@code last_seen_at} tells then).
     */
    public synchronized Long lastSeen(String deviceId) {
        long now = clock.millis();
        Long latest = null;
        for (String key : keysByDevice.getOrDefault(deviceId, Set.of())) {
            Session s = sessions.get(key);
            long seen = alive(s.nodeId(), now) ? now : heardFromNode.getOrDefault(s.nodeId(), 0L);
            latest = latest == null ? seen : Math.max(latest, seen);
        }
        return latest;
    }

    private boolean alive(int nodeId, long now) {
        Long heard = heardFromNode.get(nodeId);
        return heard != null && now - heard <= nodeTimeout.toMillis();
    }

    private void heard(int nodeId, long epoch, long now) {
        heardFromNode.put(nodeId, now);
        Long known = epochByNode.get(nodeId);
        if (known == null || epoch > known) {
            epochByNode.put(nodeId, epoch);
            // The node restarted: the sessions of its previous life are gone.
            sessions.entrySet().removeIf(e -> {
                Session s = e.getValue();
                boolean dead = s.nodeId() == nodeId && s.epoch() < epoch;
                if (dead) {
                    Set<String> keys = keysByDevice.get(s.deviceId());
                    keys.remove(e.getKey());
                    if (keys.isEmpty()) {
                        keysByDevice.remove(s.deviceId());
                    }
                }
                return dead;
            });
        }
    }

    private void close(String key) {
        Session s = sessions.remove(key);
        if (s != null) {
            Set<String> keys = keysByDevice.get(s.deviceId());
            keys.remove(key);
            if (keys.isEmpty()) {
                keysByDevice.remove(s.deviceId());
            }
        }
    }
}
