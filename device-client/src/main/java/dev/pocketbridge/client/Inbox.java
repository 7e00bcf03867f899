package dev.pocketbridge.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * The frames a session received, in arrival order. The WebSocket listener thread only appends
 * (to a {@link LinkedBlockingQueue}); readers take frames out. A reader waiting for a particular
 * frame leaves the others in place, in order, for later reads. Reads are serialised with each other.
 */
final class Inbox {

    /** Appended once when the connection ends, after every frame that arrived before. */
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    /** Frames taken from {@code arrivals} that a reader skipped; guarded by {@code this}. */
    private final ArrayDeque<ServerFrame> held = new ArrayDeque<>();
    /** True once a reader took {@link #END}; guarded by {@code this}. */
    private boolean ended;

    /** Called by the listener thread. */
    void add(ServerFrame frame) {
        arrivals.add(frame);
    }

    /** Called by the listener thread when the connection is gone. */
    void end() {
        arrivals.add(END);
    }

    /**
     * The first frame matching {@code match}, waiting up to {@code timeout}; null when none
     * arrived in time or the connection ended without one.
     */
    synchronized ServerFrame take(Predicate<? super ServerFrame> match, Duration timeout) throws InterruptedException {
        for (Iterator<ServerFrame> it = held.iterator(); it.hasNext();) {
            ServerFrame frame = it.next();
            if (match.test(frame)) {
                it.remove();
                return frame;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            long remaining = deadline - System.nanoTime();
            Object next = remaining > 0 ? arrivals.poll(remaining, TimeUnit.NANOSECONDS) : arrivals.poll();
            if (next == null) {
                return null;
            }
            if (next == END) {
                ended = true;
                break;
            }
            ServerFrame frame = (ServerFrame) next;
            if (match.test(frame)) {
                return frame;
            }
            held.add(frame);
        }
        return null;
    }

    /** Every frame received and not yet taken, without waiting; the inbox is then empty. */
    synchronized List<ServerFrame> drain() {
        List<ServerFrame> frames = new ArrayList<>(held);
        held.clear();
        Object next;
        while (!ended && (next = arrivals.poll()) != null) {
            if (next == END) {
                ended = true;
            } else {
                frames.add((ServerFrame) next);
            }
        }
        return frames;
    }
}
