package dev.pocketbridge.gateway.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.netflix.concurrency.limits.Limiter;

import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.routing.LocalSession;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One session's {@code event} frames, from arrival until their outcome. An event is answered at
 * once when its device is over its rate limit, when it is invalid, while the node drains, or when
 * it cannot be admitted: at most {@code max-inflight-events} of the session await their outcome,
 * each holding one of the node's {@link NodeAdmission} slots. An admitted event is produced to
 * {@code events.inbound} and waits, by {@code event_id} and {@code device_seq}, for its outcome
 * from {@code deliveries}, up to {@code pending-timeout}. How it stops being in flight is what the
 * admission limit learns: its outcome arrived, it was lost (timed out, not produced; the client is
 * told to resend it), or the session ended first.
 */
final class InflightEvents {

    private static final Logger log = LoggerFactory.getLogger(InflightEvents.class);

    /** @param receivedAt when its frame first arrived ({@link System#nanoTime()}), for the ack latency */
    private record Pending(Disposable timer, Limiter.Listener slot, long receivedAt) {
    }

    private enum Release { OUTCOME, LOST, SESSION_ENDED }

    private final SessionCollaborators c;
    private final LocalSession session;
    private final Supplier<String> deviceType;
    private final Consumer<ServerFrame> send;
    private final Scheduler timers;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean draining;

    /**
     * @param session    whose events these are: their origin, and what a failed produce closes
     * @param deviceType the session's device type, passed on with its events (null when unknown)
     * @param send       sends a frame to the session's client
     * @param timers     where the outcome timeouts run
     */
    InflightEvents(SessionCollaborators collaborators, LocalSession session, Supplier<String> deviceType,
            Consumer<ServerFrame> send, Scheduler timers) {
        this.c = collaborators;
        this.session = session;
        this.deviceType = deviceType;
        this.send = send;
        this.timers = timers;
    }

    /**
     * Answers the event at once, or takes it in flight and produces it. The returned {@link Mono}
     * completes once the event is answered or handed to the producer: awaited, so the session's
     * events are produced one at a time and their order holds.
     */
    Mono<Void> take(ClientFrame.SendEvent event) {
        long retryAfter = c.rateLimits().eventRetryAfterMillis(session.deviceId());
        if (retryAfter > 0) {
            send.accept(new ServerFrame.EventRejected(event.eventId(), event.deviceSeq(), RejectCode.RATE_LIMITED.wire(),
                    "too many events from this device; retry later", retryAfter));
            return Mono.empty();
        }
        long now = c.clock().millis();
        // The format only: whether it expired is the log's to say (a resend of a stored one is a duplicate).
        Optional<EventValidator.Rejection> rejection = c.validator().validate(event);
        if (rejection.isPresent()) {
            send.accept(new ServerFrame.EventRejected(event.eventId(), event.deviceSeq(), rejection.get().code().wire(),
                    rejection.get().message(), null));
            return Mono.empty();
        }
        if (!admit(event)) {
            return Mono.empty();
        }
        InboundEvent inbound = InboundEvent.of(session.userId(), session.deviceId(), deviceType.get(),
                new Origin(c.nodeId(), session.sessionId()), now, event);
        return c.publisher().event(inbound, e -> notProduced(event, e));
    }

    /**
     * Takes an event in flight and (re)starts its timeout; false when it was refused instead (the
     * client is told why). A resend of an event in flight keeps its slot; a new one needs one of
     * the session's and one of the node's. While draining, nothing is taken.
     */
    private boolean admit(ClientFrame.SendEvent event) {
        if (draining) {
            refuse(event, RejectCode.UNAVAILABLE, "the server is shutting down");
            return false;
        }
        String key = key(event.eventId(), event.deviceSeq());
        synchronized (pending) {
            Pending previous = pending.get(key);
            Limiter.Listener slot;
            long receivedAt = System.nanoTime();
            if (previous != null) {
                previous.timer().dispose();
                slot = previous.slot();
                receivedAt = previous.receivedAt();
            } else {
                if (pending.size() >= c.properties().maxInflightEvents()) {
                    refuse(event, RejectCode.BACKPRESSURE, "too many events awaiting their ack");
                    return false;
                }
                Optional<Limiter.Listener> admitted = c.admission().tryAdmit();
                if (admitted.isEmpty()) {
                    refuse(event, RejectCode.BACKPRESSURE, "the server is at capacity; retry later");
                    return false;
                }
                slot = admitted.get();
            }
            pending.put(key, new Pending(Mono.delay(c.properties().pendingTimeout(), timers)
                    .subscribe(t -> lost(event, "no outcome in time; resend the event")), slot, receivedAt));
            return true;
        }
    }

    /**
     * The event did not reach {@code events.inbound}. Later events of this session must not be
     * stored past it (its resend would then be {@code non_monotonic_device_seq}), so the session
     * ends with 1013 and the device resends everything unacknowledged, in order, after reconnecting.
     */
    private void notProduced(ClientFrame.SendEvent event, Throwable error) {
        log.warn("event not produced: {}", error.toString());
        lost(event, "the event could not be accepted; reconnect and resend it");
        session.close(CloseCodes.TRY_AGAIN_LATER, "event log unreachable");
    }

    /** Frees the event's slot and tells the client to resend (a stored event then answers {@code duplicate}). */
    private void lost(ClientFrame.SendEvent event, String message) {
        if (release(key(event.eventId(), event.deviceSeq()), Release.LOST) != null) {
            refuse(event, RejectCode.UNAVAILABLE, message);
        }
    }

    /** An {@code event_ack} or {@code event_rejected} for the session: its event is no longer in flight. */
    void outcome(ServerFrame frame) {
        switch (frame) {
            case ServerFrame.EventAck a -> {
                Pending acked = release(key(a.eventId(), a.deviceSeq()), Release.OUTCOME);
                if (acked != null) {
                    c.metrics().acked(System.nanoTime() - acked.receivedAt());
                }
            }
            case ServerFrame.EventRejected r -> release(key(r.eventId(), r.deviceSeq()), Release.OUTCOME);
            default -> {
            }
        }
    }

    /** Takes no new event any more (the node shuts down); those in flight still get their outcome. */
    void drain() {
        draining = true;
    }

    /** The session ended: every slot goes back without moving the node's limit, and nothing is answered. */
    void sessionEnded() {
        List.copyOf(pending.keySet()).forEach(key -> release(key, Release.SESSION_ENDED));
    }

    int size() {
        return pending.size();
    }

    private void refuse(ClientFrame.SendEvent event, RejectCode code, String message) {
        send.accept(new ServerFrame.EventRejected(event.eventId(), event.deviceSeq(), code.wire(), message,
                c.properties().retryAfter().toMillis()));
    }

    /** Ends an event's time in flight; returns it, or null when it was not in flight. */
    private Pending release(String key, Release how) {
        Pending released = pending.remove(key);
        if (released == null) {
            return null;
        }
        released.timer().dispose();
        switch (how) {
            case OUTCOME -> released.slot().onSuccess();
            case LOST -> released.slot().onDropped();
            case SESSION_ENDED -> released.slot().onIgnore();
        }
        return released;
    }

    private static String key(String eventId, Long deviceSeq) {
        return eventId + "#" + deviceSeq;
    }
}
