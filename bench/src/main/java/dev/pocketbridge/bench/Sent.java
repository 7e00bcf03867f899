package dev.pocketbridge.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.pocketbridge.common.protocol.ClientFrame;

/**
 * One event the bench sent, and everything that came back for it. The answer fields are written by
 * the sending device's receiver only, {@code deliveredNanos[d]} by device d's receiver only; the
 * checker reads them after those threads are joined.
 */
final class Sent {

    final long eventNo;
    final int user;
    final int device;
    final int phase;
    final String eventId;
    final long deviceSeq;
    /** When the open-loop schedule wanted it sent: latencies start here (no coordinated omission). */
    final long intendedNanos;
    volatile long sentNanos;
    volatile boolean sendFailed;

    volatile long ackNanos;
    volatile String ackStatus;
    volatile long rejectNanos;
    volatile String rejectCode;
    /** The seq the server gave it (from its ack, a delivery or a replay); 0 while unknown. */
    final AtomicLong seq = new AtomicLong();
    /** Per device index: when the live delivery arrived, 0 if none. */
    final long[] deliveredNanos;
    /** Bit d: device d got it by replay or after the window instead of live. */
    final AtomicInteger lateMask = new AtomicInteger();
    /** Kept while a resend may be needed (until acked or rejected for good). */
    volatile ClientFrame.SendEvent frame;
    /** Stored only by the resend after the window: not expected to have been delivered in it. */
    volatile boolean storedByResend;

    Sent(long eventNo, int user, int device, int phase, String eventId, long deviceSeq, long intendedNanos,
            int devicesPerUser, ClientFrame.SendEvent frame) {
        this.eventNo = eventNo;
        this.user = user;
        this.device = device;
        this.phase = phase;
        this.eventId = eventId;
        this.deviceSeq = deviceSeq;
        this.intendedNanos = intendedNanos;
        this.deliveredNanos = new long[devicesPerUser];
        this.frame = frame;
    }

    boolean acked() {
        return ackNanos != 0;
    }

    boolean answered() {
        return ackNanos != 0 || rejectNanos != 0;
    }

    boolean stored() {
        return seq.get() != 0;
    }

    /** Delivered to device d, live or later. */
    boolean reached(int d) {
        return deliveredNanos[d] != 0 || (lateMask.get() & (1 << d)) != 0;
    }

    @Override
    public String toString() {
        return "event #" + eventNo + " (user " + user + ", device " + device + ", event_id " + eventId
                + (seq.get() != 0 ? ", seq " + seq.get() : "") + ")";
    }
}
