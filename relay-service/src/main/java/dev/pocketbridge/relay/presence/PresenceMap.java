package dev.pocketbridge.relay.presence;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;

/**
 * This instance's view of who is online where, folded from the compacted {@code presence} topic:
 * user → sessions, plus the latest known epoch of every gateway node. A node's new epoch means it
 * restarted, so every session it announced under an older epoch is dead.
 * <p>
 * Thread-safe: one lock around small maps; writes come from the presence and the account changes
 * consumer threads, and reads (one per fanned-out event) are short copies.
 */
@Component
public class PresenceMap {

    /** user → (presence key {@code <device_id>:<session_id>} → session); the key is unique even across devices. */
    private final Map<String, Map<String, SessionLocation>> sessionsByUser = new HashMap<>();
    /** Presence key {@code <device_id>:<session_id>} → user, so that tombstones (no value) can be applied. */
    private final Map<String, String> userByKey = new HashMap<>();
    private final Map<Integer, Long> epochByNode = new HashMap<>();
    private int size;

    /**
     * Applies one record of the {@code presence} topic; {@code value} null is a tombstone.
     *
     * @return the sessions this record supersedes (a device has at most one session: the one opened
     *         last wins); they are already gone from the view
     */
    public synchronized List<SessionLocation> apply(String key, Presence value) {
        if (value == null) {
            // A node key's tombstone carries no epoch: nothing to forget safely, so only sessions are removed.
            if (key != null) {
                remove(key);
            }
            return List.of();
        }
        return switch (value) {
            case Presence.NodeStarted node -> {
                advanceEpoch(node.nodeId(), node.epoch());
                yield List.of();
            }
            case Presence.SessionOpened opened -> {
                forgetOtherKey(key, opened);
                yield open(opened);
            }
            case Presence.SessionClosed closed -> {
                forgetOtherKey(key, closed);
                remove(closed.key());
                yield List.of();
            }
        };
    }

    /** Compaction works on the key: trust the key for removal, so drop whatever it named before. */
    private void forgetOtherKey(String key, Presence.Session value) {
        if (key != null && !key.equals(value.key())) {
            remove(key);
        }
    }

    private List<SessionLocation> open(Presence.SessionOpened value) {
        String sessionKey = value.key();
        Long known = epochByNode.get(value.nodeId());
        if (known != null && value.epoch() < known) {
            // Announced by a previous life of the node: that session is gone with it.
            return List.of();
        }
        // The node's own record may sit on another partition and arrive later: a session's epoch is its node's.
        advanceEpoch(value.nodeId(), value.epoch());
        remove(sessionKey);
        SessionLocation added = new SessionLocation(value.sessionId(), value.deviceId(), value.nodeId(), value.epoch());
        // The gateways put all records of a device on one partition, so they arrive in the order the
        // sessions opened, whatever the nodes' clocks say: the last one opened is the device's session.
        List<SessionLocation> sameDevice = sessionsOf(value.userId()).stream()
                .filter(s -> s.deviceId().equals(value.deviceId()))
                .toList();
        sameDevice.forEach(s -> remove(Topics.presenceSessionKey(s.deviceId(), s.sessionId())));
        sessionsByUser.computeIfAbsent(value.userId(), u -> new HashMap<>()).put(sessionKey, added);
        userByKey.put(sessionKey, value.userId());
        size++;
        return sameDevice;
    }

    private void advanceEpoch(int nodeId, long epoch) {
        Long known = epochByNode.get(nodeId);
        if (known != null && epoch <= known) {
            return;
        }
        epochByNode.put(nodeId, epoch);
        var users = sessionsByUser.entrySet().iterator();
        while (users.hasNext()) {
            var user = users.next();
            var sessions = user.getValue().values().iterator();
            while (sessions.hasNext()) {
                SessionLocation s = sessions.next();
                if (s.nodeId() == nodeId && s.epoch() < epoch) {
                    sessions.remove();
                    userByKey.remove(Topics.presenceSessionKey(s.deviceId(), s.sessionId()));
                    size--;
                }
            }
            if (user.getValue().isEmpty()) {
                users.remove();
            }
        }
    }

    private void remove(String sessionKey) {
        String userId = userByKey.remove(sessionKey);
        if (userId == null) {
            return;
        }
        Map<String, SessionLocation> sessions = sessionsByUser.get(userId);
        if (sessions == null) {
            return;
        }
        if (sessions.remove(sessionKey) != null) {
            size--;
        }
        if (sessions.isEmpty()) {
            sessionsByUser.remove(userId);
        }
    }

    /**
     * Drops the device's sessions at once (revoked or removed): nothing more is fanned out to them,
     * even before their gateway's close reaches the topic.
     *
     * @return the sessions dropped
     */
    public synchronized List<SessionLocation> dropDevice(String userId, String deviceId) {
        List<SessionLocation> dropped = sessionsOf(userId).stream()
                .filter(s -> s.deviceId().equals(deviceId))
                .toList();
        dropped.forEach(s -> remove(Topics.presenceSessionKey(s.deviceId(), s.sessionId())));
        return dropped;
    }

    /**
     * Drops every session of the user at once (user deleted).
     *
     * @return the sessions dropped
     */
    public synchronized List<SessionLocation> dropUser(String userId) {
        List<SessionLocation> dropped = sessionsOf(userId);
        dropped.forEach(s -> remove(Topics.presenceSessionKey(s.deviceId(), s.sessionId())));
        return dropped;
    }

    /** A copy of the user's online sessions (empty when none). */
    public synchronized List<SessionLocation> sessionsOf(String userId) {
        Map<String, SessionLocation> sessions = sessionsByUser.get(userId);
        return sessions == null ? List.of() : List.copyOf(sessions.values());
    }

    /** The latest epoch seen for the node, or null. */
    public synchronized Long epochOf(int nodeId) {
        return epochByNode.get(nodeId);
    }

    /** The number of online sessions in the map. */
    public synchronized int size() {
        return size;
    }
}
