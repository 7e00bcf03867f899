package dev.pocketbridge.relay.presence;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the newest event fanned out per user sits in {@code events.stored} (a bounded,
 * least-recently-used map). A session that opens between its replay and the moment this relay
 * learns of it would miss live events without seeing a gap; handing it the user's newest event at
 * once shows it any gap, and the device replays. Only the event's coordinates are kept, never its
 * payload: {@link NewestEventReader} reads the event back from the topic when a session needs it, so
 * this map costs about 200 bytes per user at most, whatever the users send.
 */
public class LatestEvents {

    /** A user's newest fanned-out event: its {@code seq}, its record in {@code events.stored}, and its expiry. */
    public record Newest(long seq, int partition, long offset, Long expiresAt) {
    }

    private final Clock clock;
    private final Map<String, Newest> byUser;

    /** Keeps at most {@code capacity} users, the least recently used dropped first. */
    public LatestEvents(int capacity, Clock clock) {
        this.clock = clock;
        this.byUser = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Newest> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void remember(String userId, Newest event) {
        Newest known = byUser.get(userId);
        if (known == null || event.seq() > known.seq()) {
            byUser.put(userId, event);
        }
    }

    /** The user's newest fanned-out event, unless it has expired. */
    public synchronized Optional<Newest> of(String userId) {
        return Optional.ofNullable(byUser.get(userId))
                .filter(e -> e.expiresAt() == null || e.expiresAt() > clock.millis());
    }

    /** Forgets the user (deleted): a session opening later is handed nothing of theirs. */
    public synchronized void forget(String userId) {
        byUser.remove(userId);
    }

    /** Users remembered (at most {@code latest-events-capacity}). */
    public synchronized int size() {
        return byUser.size();
    }
}
