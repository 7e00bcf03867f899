package dev.pocketbridge.relay.presence;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.pocketbridge.common.protocol.ServerFrame.DeliveredEvent;

/**
 * The newest event fanned out per user (a bounded, least-recently-used map). A session that opens
 * between its replay and the moment this relay learns of it would miss live events without seeing
 * a gap; handing it the user's newest event at once shows it any gap, and the device replays.
 */
@Component
public class LatestEvents {

    private final Clock clock;
    private final Map<String, DeliveredEvent> byUser;

    LatestEvents(PresenceProperties properties, Clock clock) {
        this.clock = clock;
        int capacity = properties.latestEventsCapacity();
        this.byUser = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, DeliveredEvent> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void remember(String userId, DeliveredEvent event) {
        DeliveredEvent known = byUser.get(userId);
        if (known == null || event.seq() > known.seq()) {
            byUser.put(userId, event);
        }
    }

    /** The user's newest fanned-out event, unless it has expired. */
    public synchronized Optional<DeliveredEvent> of(String userId) {
        return Optional.ofNullable(byUser.get(userId))
                .filter(e -> e.expiresAt() == null || e.expiresAt() > clock.millis());
    }
}
