package dev.pocketbridge.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * Everything one measurement window sent and received: the events by {@code event_id}, live
 * counters for progress lines, and the checks that can be made as frames arrive (seq consistency,
 * payload markers). The checks that need the whole window are in {@link Checker}.
 */
final class Ledger {

    static final String UNAVAILABLE = RejectCode.UNAVAILABLE.wire();
    static final String BACKPRESSURE = RejectCode.BACKPRESSURE.wire();

    final long runId;
    final int users;
    final int devicesPerUser;
    final Violations violations = new Violations();
    final LiveLatency liveAck = new LiveLatency();
    final LiveLatency liveDelivery = new LiveLatency();
    /** Set when the live window ends: later deliveries count as late, without latency. */
    private volatile boolean liveClosed;

    private final Map<String, Sent> byEventId = new ConcurrentHashMap<>();
    final AtomicLong registered = new AtomicLong();
    final LongAdder sendFailed = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final Map<String, LongAdder> rejectedByCode = new ConcurrentHashMap<>();
    final LongAdder answered = new LongAdder();
    final LongAdder deliveredLive = new LongAdder();
    final LongAdder deliveredLate = new LongAdder();
    final LongAdder duplicateDeliveries = new LongAdder();
    /** Deliveries to expect: per acked event, the other connected devices of its user. */
    final LongAdder expectedDeliveries = new LongAdder();
    /** Frames about events outside this window (earlier windows, control events). */
    final LongAdder outsideWindow = new LongAdder();
    /** Deliveries of bench events of earlier runs (identities are reused between runs). */
    final LongAdder earlierRuns = new LongAdder();
    /** The sender received its own event live (the protocol sends it the ack instead). */
    final LongAdder ownEcho = new LongAdder();

    Ledger(long runId, int users, int devicesPerUser) {
        this.runId = runId;
        this.users = users;
        this.devicesPerUser = devicesPerUser;
    }

    /** Records an event before it is sent, so that an answer arriving at once finds it. */
    Sent register(long eventNo, int user, int device, int phase, long intendedNanos, ClientFrame.SendEvent frame) {
        Sent s = new Sent(eventNo, user, device, phase, frame.eventId(), frame.deviceSeq(), intendedNanos,
                devicesPerUser, frame);
        byEventId.put(s.eventId, s);
        registered.incrementAndGet();
        return s;
    }

    void sendFailed(Sent s) {
        s.sendFailed = true;
        s.frame = null;
        sendFailed.increment();
    }

    Sent get(String eventId) {
        return eventId == null ? null : byEventId.get(eventId);
    }

    /** Every event of the window, in the order they were numbered. */
    List<Sent> all() {
        List<Sent> list = new ArrayList<>(byEventId.values());
        list.sort(Comparator.comparingLong(s -> s.eventNo));
        return list;
    }

    void closeLive() {
        liveClosed = true;
    }

    boolean liveClosed() {
        return liveClosed;
    }

    /** Unanswered events still in flight (progress and drain). */
    long pendingAnswers() {
        return registered.get() - sendFailed.sum() - answered.sum();
    }

    // --- frames, called by the receiving device's thread -------------------------------------------

    /** {@code connectedOthers}: how many other devices of the sender's user are connected. */
    void onAck(ServerFrame.EventAck ack, long now, int connectedOthers) {
        Sent s = byEventId.get(ack.eventId());
        if (s == null) {
            outsideWindow.increment();
            return;
        }
        recordSeq(s, ack.seq(), "ack");
        if (s.ackNanos != 0) {
            return; // a second answer (e.g. a late ack after unavailable, or a resend's duplicate)
        }
        boolean firstAnswer = s.rejectNanos == 0;
        s.ackStatus = ack.status();
        s.ackNanos = now;
        s.frame = null;
        acked.increment();
        if (firstAnswer) {
            answered.increment();
        }
        if (!liveClosed) {
            liveAck.record(now - s.intendedNanos);
            expectedDeliveries.add(connectedOthers);
        }
    }

    void onReject(ServerFrame.EventRejected rejection, long now) {
        Sent s = byEventId.get(rejection.eventId());
        if (s == null) {
            outsideWindow.increment();
            return;
        }
        if (s.rejectNanos != 0 || s.ackNanos != 0) {
            return;
        }
        String code = rejection.code() == null ? "(none)" : rejection.code();
        s.rejectCode = code;
        s.rejectNanos = now;
        if (!UNAVAILABLE.equals(code)) {
            s.frame = null;
        }
        rejected.increment();
        rejectedByCode.computeIfAbsent(code, k -> new LongAdder()).increment();
        answered.increment();
    }

    /**
     * A delivery of one of this run's events to device {@code device} of user {@code user}
     * ({@code live}: pushed by the server, else from a replay page).
     */
    void onDelivered(int user, int device, ServerFrame.DeliveredEvent event, Payloads.Marker marker, long now,
            boolean live) {
        Sent s = byEventId.get(event.eventId());
        if (s == null) {
            outsideWindow.increment();
            return;
        }
        if (s.eventNo != marker.eventNumber() || s.user != user) {
            violations.add(Violations.PAYLOAD, "user " + user + " device " + device + " got " + s
                    + " carrying the marker of event #" + marker.eventNumber());
            return;
        }
        recordSeq(s, event.seq(), "delivery");
        if (s.device == device) {
            if (live) {
                ownEcho.increment();
            }
            return;
        }
        if (s.reached(device)) {
            if (live) {
                duplicateDeliveries.increment();
            }
            return;
        }
        if (live && !liveClosed) {
            s.deliveredNanos[device] = now;
            deliveredLive.increment();
            liveDelivery.record(now - s.intendedNanos);
        } else {
            s.lateMask.getAndUpdate(m -> m | (1 << device));
            deliveredLate.increment();
        }
    }

    /** The seq a resend was answered with. */
    void resendSeq(Sent s, long seq) {
        recordSeq(s, seq, "resend");
    }

    private void recordSeq(Sent s, long seq, String source) {
        if (seq <= 0) {
            violations.add(Violations.SEQ_CONFLICT, s + ": " + source + " with seq " + seq);
            return;
        }
        long before = s.seq.compareAndExchange(0, seq);
        if (before != 0 && before != seq) {
            violations.add(Violations.SEQ_CONFLICT, s + " stored under seq " + before + " and seq " + seq
                    + " (" + source + ")");
        }
    }
}
