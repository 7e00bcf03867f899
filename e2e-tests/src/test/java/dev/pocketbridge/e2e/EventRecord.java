package dev.pocketbridge.e2e;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One event the fault traffic sent, and what came back for it: its answer (written by the sender's
 * thread) and, per device of its user, when that device first had it, live or by replay (written by
 * each device's thread).
 */
final class EventRecord {

    final long number;
    final int user;
    final int device;
    final String eventId;
    /** Its {@code device_seq}: a new one when it is sent again after {@code backpressure} or {@code rate_limited}. */
    volatile long deviceSeq;
    /** The phase (fault) during which it was first sent. */
    final int phase;
    final long firstSentNanos;
    volatile long ackNanos;
    volatile long ackSeq;
    volatile String ackStatus;
    /** A rejection the sender gave up on (anything but a retryable one); null otherwise. */
    volatile String finalRejection;
    final AtomicInteger resends = new AtomicInteger();
    /** Per device index: when it first had this event (the sender: its ack), 0 if not yet. */
    final AtomicLongArray receivedNanos;

    EventRecord(long number, int user, int device, String eventId, long deviceSeq, int phase, long firstSentNanos,
            int devices) {
        this.number = number;
        this.user = user;
        this.device = device;
        this.eventId = eventId;
        this.deviceSeq = deviceSeq;
        this.phase = phase;
        this.firstSentNanos = firstSentNanos;
        this.receivedNanos = new AtomicLongArray(devices);
    }

    boolean acked() {
        return ackNanos != 0;
    }

    boolean resolved() {
        return ackNanos != 0 || finalRejection != null;
    }

    /** Had by every device of its user but the sender. */
    boolean reachedOthers() {
        for (int d = 0; d < receivedNanos.length(); d++) {
            if (d != device && receivedNanos.get(d) == 0) {
                return false;
            }
        }
        return true;
    }

    /** When its round trip completed (acked and had by every other device), 0 if it has not. */
    long roundTripDoneNanos() {
        if (!acked() || !reachedOthers()) {
            return 0;
        }
        long done = ackNanos;
        for (int d = 0; d < receivedNanos.length(); d++) {
            if (d != device) {
                done = Math.max(done, receivedNanos.get(d));
            }
        }
        return done;
    }

    @Override
    public String toString() {
        return "event #" + number + " (user " + user + ", device " + device + ", event_id " + eventId
                + (ackSeq != 0 ? ", seq " + ackSeq : "") + ")";
    }
}
