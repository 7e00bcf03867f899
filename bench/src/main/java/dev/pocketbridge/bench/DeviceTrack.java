package dev.pocketbridge.bench;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * What one connected device has seen on its session: the last {@code seq} delivered (the order
 * check: each must be above the one before), the payload markers (the isolation check), and the
 * window's {@link Ledger} that the frames are accounted to. Frames are handed in by one thread at
 * a time (the session's receiver, or the caller draining the session after it stopped).
 */
final class DeviceTrack {

    final int user;
    final int device;
    final UUID userId;
    /** Where checks outside a measurement window are recorded. */
    private final Violations between;
    private volatile Ledger ledger;
    private volatile long lastSeq;
    private volatile long lastAckedToServer;
    /** Other devices of this user connected when the window began. */
    private volatile int connectedOthers;
    final LongAdder unmarked = new LongAdder();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    DeviceTrack(int user, int device, UUID userId, Violations between) {
        this.user = user;
        this.device = device;
        this.userId = userId;
        this.between = between;
    }

    /** Starts accounting frames to {@code ledger} (null: between windows). */
    void window(Ledger ledger, int connectedOthers) {
        this.ledger = ledger;
        this.connectedOthers = connectedOthers;
    }

    /** A new session of this device: the order check starts over. */
    void newSession() {
        lastSeq = 0;
        lastAckedToServer = 0;
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The seq to acknowledge to the server now, or 0 when nothing new arrived since the last ack. */
    long takeAckable() {
        long last = lastSeq;
        if (last > lastAckedToServer) {
            lastAckedToServer = last;
            return last;
        }
        return 0;
    }

    private Violations sink() {
        Ledger l = ledger;
        return l != null ? l.violations : between;
    }

    void onFrame(ServerFrame frame, long now) {
        Ledger l = ledger;
        switch (frame) {
            case ServerFrame.EventAck ack -> {
                if (l != null) {
                    l.onAck(ack, now, connectedOthers);
                }
            }
            case ServerFrame.EventRejected rejected -> {
                if (l != null) {
                    l.onReject(rejected, now);
                }
            }
            case ServerFrame.DeliveredEvent event -> onDelivered(event, now, true);
            case ServerFrame.Error error -> errors.computeIfAbsent(String.valueOf(error.code()), k -> new LongAdder())
                    .increment();
            default -> {
                // replay pages are read by their requester; session_expiring needs nothing here
            }
        }
    }

    /** An event of a replay page (order within pages is checked by the caller). */
    void onReplayed(ServerFrame.DeliveredEvent event) {
        onDelivered(event, System.nanoTime(), false);
    }

    private void onDelivered(ServerFrame.DeliveredEvent event, long now, boolean live) {
        if (live) {
            long previous = lastSeq;
            if (event.seq() <= previous) {
                sink().add(Violations.ORDER, "user " + user + " device " + device + ": seq " + event.seq()
                        + " (event_id " + event.eventId() + ") after seq " + previous);
            } else {
                lastSeq = event.seq();
            }
        }
        Optional<Payloads.Marker> marker = Payloads.read(event.encryptedPayload());
        if (marker.isEmpty()) {
            unmarked.increment();
            return;
        }
        Payloads.Marker m = marker.get();
        if (!m.userId().equals(userId)) {
            sink().add(Violations.CROSS_USER, "user " + user + " (" + userId + ") device " + device + " got seq "
                    + event.seq() + " (event_id " + event.eventId() + ") of user " + m.userId());
            return;
        }
        Ledger l = ledger;
        if (l == null) {
            return;
        }
        if (m.runId() != l.runId) {
            l.earlierRuns.increment();
            return;
        }
        l.onDelivered(user, device, event, m, now, live);
    }
}
