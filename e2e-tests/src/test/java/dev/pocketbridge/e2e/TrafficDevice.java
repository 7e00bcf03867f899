package dev.pocketbridge.e2e;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import dev.pocketbridge.client.AwaitTimeoutException;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.HandshakeException;
import dev.pocketbridge.client.ServerErrorException;
import dev.pocketbridge.client.SessionClosedException;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * One device of the fault traffic, as a well-behaved client drives it, on a thread of its own: it
 * keeps a session open (reconnecting with back-off whenever it closes, to its home gateway node, or
 * to the other one while fail-over is on), catches up after each handshake with the replay the
 * protocol gives it (from its acknowledged position), replays again when it sees a gap in
 * {@code seq}, acknowledges what it has, and sends an event at a steady rate. Events it sent keep
 * their {@code event_id} and {@code device_seq} until answered: unanswered ones are resent on the
 * next session, those answered {@code unavailable} after {@code retry_after_ms} (a stored one then
 * answers {@code duplicate}); those refused before they were handed over ({@code backpressure},
 * {@code rate_limited}) go out again under a new {@code device_seq}, since a later event of the
 * device may have been stored meanwhile. New events wait while a resend is due.
 */
final class TrafficDevice {

    static final String STREAM = "faults";
    static final String EVENT_TYPE = "fault.v1";
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** A gap this old (not filled by an ack or a late delivery) is replayed. */
    private static final long GAP_WAIT_NANOS = Duration.ofMillis(1000).toNanos();
    /** The server answers every event within its 30 s pending timeout; this is the client's own bound. */
    private static final long ANSWER_TIMEOUT_NANOS = Duration.ofSeconds(45).toNanos();
    private static final long ACK_INTERVAL_NANOS = Duration.ofMillis(500).toNanos();
    private static final int REPLAY_PAGE = 1000;

    /** One event sent and not answered for good. */
    private static final class Pending {
        ClientFrame.SendEvent frame;
        final EventRecord record;
        long sentNanos;
        /** When to resend after a retryable rejection; 0 while waiting for the answer. */
        long resendAt;
        /**
         * Refused before it was handed over ({@code backpressure}, {@code rate_limited}), so not
         * stored: it goes out again under a new {@code device_seq}, since a later event of the
         * device may have been stored meanwhile (the old one would then be refused as
         * {@code non_monotonic_device_seq}).
         */
        boolean renumber;

        Pending(ClientFrame.SendEvent frame, EventRecord record, long sentNanos) {
            this.frame = frame;
            this.record = record;
            this.sentNanos = sentNanos;
        }
    }

    final int user;
    final int device;
    final int home;
    private final DeviceIdentity identity;
    private final Traffic traffic;
    private final Thread thread;
    private volatile boolean running = true;

    // receiving: the seqs this device has are 1..cursor plus those in `above`
    private volatile long cursor;
    private final TreeSet<Long> above = new TreeSet<>();
    private long gapSince;
    private boolean catchUpDue;
    private long retryCatchUpAt;
    private long ackedToServer;
    private long lastAckSent;

    // sending
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private long maxDeviceSeq;
    private long nextSendAt;

    private volatile DeviceSession session;
    private volatile int connectedNode = -1;
    /** A requested read of the user's whole stored log, done by the device's thread on its session. */
    private volatile CompletableFuture<List<ServerFrame.DeliveredEvent>> audit;

    TrafficDevice(int user, int device, int home, DeviceIdentity identity, Traffic traffic) {
        this.user = user;
        this.device = device;
        this.home = home;
        this.identity = identity;
        this.traffic = traffic;
        this.thread = Thread.ofPlatform().daemon().name("device-" + user + "-" + device).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Stops the device and closes its session. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(Duration.ofSeconds(40));
        DeviceSession s = session;
        if (s != null) {
            s.close();
        }
    }

    /** The highest seq up to which this device has every event of its user. */
    long cursor() {
        return cursor;
    }

    /** True while it has an open session. */
    boolean connected() {
        DeviceSession s = session;
        return s != null && !s.isClosed();
    }

    int connectedNode() {
        return connectedNode;
    }

    /**
     * Reads the user's whole stored log (a replay from seq 0) on this device's session, as soon as
     * it has one; the future completes with every event in the log, in order.
     */
    CompletableFuture<List<ServerFrame.DeliveredEvent>> readLog() {
        CompletableFuture<List<ServerFrame.DeliveredEvent>> f = new CompletableFuture<>();
        audit = f;
        return f;
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    private void run() {
        long backoff = 0;
        nextSendAt = System.nanoTime() + ThreadLocalRandom.current().nextLong(traffic.sendIntervalNanos());
        int attempt = 0;
        while (running) {
            int node = traffic.failover() && attempt % 2 == 1 ? 1 - home : home;
            DeviceSession s = connect(node);
            if (s == null) {
                attempt++;
                backoff = backoff == 0 ? 100 : Math.min(MAX_BACKOFF.toMillis(), backoff * 2);
                sleep(backoff);
                continue;
            }
            attempt = 0;
            backoff = 0;
            session = s;
            connectedNode = node;
            try {
                serve(s);
            } catch (SessionClosedException | AwaitTimeoutException | IllegalStateException e) {
                // the session ended or stopped answering: handled below like a close
            }
            connectedNode = -1;
            if (!s.isClosed()) {
                if (running) {
                    s.abort();
                } else {
                    return; // stop() closes it normally
                }
            }
            for (ServerFrame frame : s.drain()) {
                handle(frame);
            }
            traffic.count("session closed " + s.closeCode());
        }
    }

    private DeviceSession connect(int node) {
        URI uri = traffic.webSocketUri(node);
        try {
            return DeviceSession.connect(uri, identity, traffic.serverKey(), Duration.ofSeconds(30));
        } catch (HandshakeException e) {
            traffic.count("handshake failed " + e.code() + (e.closeCode() > 0 ? " (close " + e.closeCode() + ")" : "")
                    + (e.getCause() == null ? "" : " " + e.getCause()));
            return null;
        } catch (RuntimeException e) {
            traffic.count("handshake failed " + e.getClass().getSimpleName());
            return null;
        }
    }

    private void serve(DeviceSession s) {
        synchronized (this) {
            s.advanceDeviceSeq(maxDeviceSeq);
            // everything unanswered goes out again, in device_seq order, before anything new
            long now = System.nanoTime();
            for (Pending p : pending.values()) {
                p.resendAt = now;
            }
        }
        catchUpDue = true;
        retryCatchUpAt = 0;
        gapSince = 0;
        ackedToServer = 0;
        long lastLive = 0;
        boolean first = true;
        while (running && !s.isClosed()) {
            long now = System.nanoTime();
            if (catchUpDue && now >= retryCatchUpAt) {
                catchUp(s, first);
                first = false;
            }
            CompletableFuture<List<ServerFrame.DeliveredEvent>> log = audit;
            if (log != null) {
                try {
                    log.complete(s.replayAll(0L));
                    audit = null;
                } catch (ServerErrorException | AwaitTimeoutException e) {
                    traffic.count("log read failed");
                }
            }
            resendDue(s, now);
            sendNew(s, now);
            if (gapSince != 0 && now - gapSince > GAP_WAIT_NANOS) {
                catchUpDue = true;
                gapSince = 0;
            }
            long c = cursor;
            if (c > ackedToServer && now - lastAckSent > ACK_INTERVAL_NANOS) {
                s.ack(c);
                ackedToServer = c;
                lastAckSent = now;
            }
            ServerFrame frame = s.next(POLL);
            while (frame != null) {
                if (frame instanceof ServerFrame.DeliveredEvent live) {
                    if (live.seq() <= lastLive) {
                        traffic.violation(Traffic.ORDER, "user " + user + " device " + device + ": live seq " + live.seq()
                                + " after seq " + lastLive + " on one session");
                    }
                    lastLive = Math.max(lastLive, live.seq());
                }
                handle(frame);
                frame = s.next(Duration.ZERO);
            }
        }
    }

    /** Replays from the acknowledged position (first catch-up of a session) or from the cursor, to the head. */
    private void catchUp(DeviceSession s, boolean fromServerPosition) {
        try {
            ServerFrame.ReplayResponse page = s.replay(fromServerPosition ? null : cursor, REPLAY_PAGE, null);
            traffic.count("replays");
            long last = 0;
            while (true) {
                for (ServerFrame.DeliveredEvent e : page.events()) {
                    if (e.seq() <= last) {
                        traffic.violation(Traffic.ORDER, "user " + user + " device " + device + ": replayed seq "
                                + e.seq() + " after seq " + last);
                    }
                    last = e.seq();
                    received(e, false);
                }
                if (!page.hasMore()) {
                    break;
                }
                page = s.replay(null, REPLAY_PAGE, page.continuationToken());
            }
            catchUpDue = false;
        } catch (ServerErrorException | AwaitTimeoutException e) {
            traffic.count("replay failed " + (e instanceof ServerErrorException se ? se.code() : "timeout"));
            retryCatchUpAt = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        }
    }

    private void resendDue(DeviceSession s, long now) {
        List<Pending> due = new ArrayList<>();
        synchronized (this) {
            for (Pending p : pending.values()) {
                if (p.resendAt != 0 && p.resendAt <= now
                        || p.resendAt == 0 && now - p.sentNanos > ANSWER_TIMEOUT_NANOS) {
                    due.add(p);
                }
            }
        }
        for (Pending p : due) {
            if (p.renumber) {
                ClientFrame.SendEvent old = p.frame;
                p.frame = new ClientFrame.SendEvent(old.eventId(), s.nextDeviceSeq(), old.streamId(), old.eventType(),
                        old.encryptedPayload(), old.expiresAt(), old.baseStreamSeq());
                p.renumber = false;
                p.record.deviceSeq = p.frame.deviceSeq();
                synchronized (this) {
                    maxDeviceSeq = Math.max(maxDeviceSeq, p.frame.deviceSeq());
                }
            }
            p.resendAt = 0;
            p.sentNanos = now;
            p.record.resends.incrementAndGet();
            traffic.count("resends");
            s.send(p.frame);
        }
    }

    private void sendNew(DeviceSession s, long now) {
        if (now < nextSendAt || !traffic.sending()) {
            return;
        }
        nextSendAt += traffic.sendIntervalNanos();
        if (nextSendAt < now) {
            nextSendAt = now; // do not burst after a pause: the schedule restarts
        }
        synchronized (this) {
            if (pending.size() >= traffic.maxPending()) {
                traffic.count("sends skipped (too many unanswered)");
                return;
            }
            for (Pending p : pending.values()) {
                if (p.resendAt != 0) {
                    traffic.count("sends skipped (resend due)");
                    return; // keeps the device's events in order behind the resend
                }
            }
        }
        long number = traffic.nextNumber();
        byte[] payload = Traffic.payload(traffic.userId(user), number);
        ClientFrame.SendEvent frame = s.newEvent(STREAM, EVENT_TYPE, payload);
        EventRecord record = traffic.register(number, user, device, frame.eventId(), frame.deviceSeq(), now);
        synchronized (this) {
            maxDeviceSeq = Math.max(maxDeviceSeq, frame.deviceSeq());
            pending.put(frame.eventId(), new Pending(frame, record, now));
        }
        s.send(frame);
    }

    private void handle(ServerFrame frame) {
        long now = System.nanoTime();
        switch (frame) {
            case ServerFrame.EventAck ack -> {
                synchronized (this) {
                    pending.remove(ack.eventId());
                }
                traffic.onAck(user, device, ack, now);
                received(ack.seq(), now, false);
            }
            case ServerFrame.EventRejected rejected -> onRejected(rejected, now);
            case ServerFrame.DeliveredEvent event -> received(event, true);
            case ServerFrame.Error error -> traffic.count("error frame " + error.code());
            default -> {
                // session_expiring, a late replay page: nothing to do
            }
        }
    }

    private void onRejected(ServerFrame.EventRejected rejected, long now) {
        String code = rejected.code();
        boolean retryable = RejectCode.UNAVAILABLE.wire().equals(code) || RejectCode.BACKPRESSURE.wire().equals(code)
                || RejectCode.RATE_LIMITED.wire().equals(code);
        traffic.count("rejected " + code);
        synchronized (this) {
            Pending p = pending.get(rejected.eventId());
            if (p == null || rejected.deviceSeq() != null && !rejected.deviceSeq().equals(p.frame.deviceSeq())) {
                return; // answered already, or an answer to the event under its earlier device_seq
            }
            if (retryable) {
                long after = rejected.retryAfterMs() == null ? 1000 : Math.max(100, rejected.retryAfterMs());
                p.resendAt = now + Duration.ofMillis(after).toNanos();
                p.renumber = !RejectCode.UNAVAILABLE.wire().equals(code);
            } else {
                pending.remove(rejected.eventId());
                p.record.finalRejection = code;
            }
        }
    }

    private void received(ServerFrame.DeliveredEvent event, boolean live) {
        long now = System.nanoTime();
        if (!traffic.onDelivered(user, device, event, live, now)) {
            return; // another user's event: counted as a violation, never taken
        }
        received(event.seq(), now, true);
    }

    /** Takes {@code seq} into what this device has; advances the cursor over what is now contiguous. */
    private void received(long seq, long now, boolean delivery) {
        synchronized (this) {
            if (seq <= cursor || !above.add(seq)) {
                if (delivery) {
                    traffic.count("redeliveries");
                }
                return;
            }
            long c = cursor;
            for (Iterator<Long> it = above.iterator(); it.hasNext();) {
                long next = it.next();
                if (next != c + 1) {
                    break;
                }
                c = next;
                it.remove();
            }
            cursor = c;
            if (above.isEmpty()) {
                gapSince = 0;
            } else if (gapSince == 0) {
                gapSince = now;
            }
        }
    }

    /** A client's back-off between connection attempts (not a wait of the test). */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
