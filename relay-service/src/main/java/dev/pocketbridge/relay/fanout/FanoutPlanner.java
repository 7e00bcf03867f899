package dev.pocketbridge.relay.fanout;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.kafka.Deliveries;
import dev.pocketbridge.relay.presence.PresenceMap;
import dev.pocketbridge.relay.presence.SessionLocation;

/**
 * Decides the {@code deliveries} of one stored event: the ack for the sending session, then the
 * event for every other device of the user with an online session, one delivery per gateway node.
 */
@Component
class FanoutPlanner {

    private static final Logger log = LoggerFactory.getLogger(FanoutPlanner.class);

    private final PresenceMap presence;
    private final Clock clock;
    private final Deliveries deliveries;

    FanoutPlanner(PresenceMap presence, Clock clock, Deliveries deliveries) {
        this.presence = presence;
        this.clock = clock;
        this.deliveries = deliveries;
    }

    /** The plan: the ack (null when its node cannot be addressed) and the event deliveries by node. */
    record Plan(Delivery.Outcome ack, List<Delivery.LiveEvent> events) {
    }

    Plan plan(StoredEvent stored) {
        ServerFrame.DeliveredEvent event = complete(stored).event();
        return new Plan(ack(stored, event), fanOut(stored.userId(), event));
    }

    /** {@code stored}, unless it lacks what a plan needs: its user, its event, or the sending device. */
    static StoredEvent complete(StoredEvent stored) {
        ServerFrame.DeliveredEvent event = stored.event();
        if (stored.userId() == null || event == null || event.deviceId() == null || event.eventId() == null) {
            throw new MalformedStoredEventException("stored event without user, event or sending device");
        }
        return stored;
    }

    private Delivery.Outcome ack(StoredEvent stored, ServerFrame.DeliveredEvent event) {
        Origin origin = stored.origin();
        if (origin == null || origin.sessionId() == null || !deliveries.addressable(origin.nodeId())) {
            log.warn("no ack for event {} of user {}: origin {} is not an addressable gateway session",
                    event.eventId(), stored.userId(), origin);
            return null;
        }
        String status = stored.status() == null ? ServerFrame.EventAck.STORED : stored.status();
        ServerFrame.EventAck ack = new ServerFrame.EventAck(event.eventId(), event.deviceSeq(), event.seq(),
                event.streamSeq(), status, event.conflict());
        return new Delivery.Outcome(origin.nodeId(), stored.userId(), origin.sessionId(), ack);
    }

    private List<Delivery.LiveEvent> fanOut(String userId, ServerFrame.DeliveredEvent event) {
        if (event.expiresAt() != null && event.expiresAt() <= clock.millis()) {
            // Nobody may act on it any more; devices that missed it will not see it on replay either.
            return List.of();
        }
        Map<Integer, Set<String>> devicesByNode = new TreeMap<>();
        for (SessionLocation session : presence.sessionsOf(userId)) {
            if (session.deviceId().equals(event.deviceId())) {
                continue;
            }
            if (!deliveries.addressable(session.nodeId())) {
                log.warn("skipping session {} of user {}: node {} has no deliveries partition", session.sessionId(),
                        userId, session.nodeId());
                continue;
            }
            devicesByNode.computeIfAbsent(session.nodeId(), n -> new LinkedHashSet<>()).add(session.deviceId());
        }
        List<Delivery.LiveEvent> live = new ArrayList<>(devicesByNode.size());
        devicesByNode.forEach((node, devices) -> live.add(new Delivery.LiveEvent(node, userId, List.copyOf(devices), event)));
        return live;
    }
}
