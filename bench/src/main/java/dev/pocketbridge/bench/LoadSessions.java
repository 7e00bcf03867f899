package dev.pocketbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * The connected devices of the open-loop workloads (W1, W2, overload): {@code users × devices}
 * sessions and their {@link DeviceTrack}s, kept open from one window to the next so the order
 * check spans them. While a window runs, each session's frames are timestamped and accounted as
 * they arrive ({@link Receivers}).
 */
final class LoadSessions implements AutoCloseable {

    final int users;
    final int devices;
    final UUID[] userIds;
    private final DeviceIdentity[][] identities;
    final DeviceSession[][] sessions;
    final DeviceTrack[][] tracks;
    /** Checks failed between windows (e.g. a stale delivery of another user); merged into the next window. */
    final Violations between = new Violations();
    private final Connector connector;
    private final int concurrency;
    /** {@code --inject}: tampers with what one device receives (a test of the checks). */
    final FaultInjector fault;

    LoadSessions(List<DeviceIdentity[]> identities, int devices, Connector connector, int concurrency,
            FaultInjector fault) {
        this.fault = fault;
        this.users = identities.size();
        this.devices = devices;
        this.connector = connector;
        this.concurrency = concurrency;
        this.identities = new DeviceIdentity[users][];
        this.userIds = new UUID[users];
        this.sessions = new DeviceSession[users][devices];
        this.tracks = new DeviceTrack[users][devices];
        for (int u = 0; u < users; u++) {
            this.identities[u] = identities.get(u);
            userIds[u] = UUID.fromString(identities.get(u)[0].userId());
            for (int d = 0; d < devices; d++) {
                tracks[u][d] = new DeviceTrack(u, d, userIds[u], between);
            }
        }
    }

    /** Connects every session that is not open; fails when some cannot be connected. */
    void connectMissing(String label) {
        List<int[]> todo = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int d = 0; d < devices; d++) {
                if (sessions[u][d] == null || sessions[u][d].isClosed()) {
                    todo.add(new int[] {u, d});
                }
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        Console.say(label + ": connecting " + todo.size() + " sessions");
        AtomicInteger failed = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        Parallel.forEach("connect", todo.size(), concurrency, deadline, i -> {
            int u = todo.get(i)[0];
            int d = todo.get(i)[1];
            DeviceSession s = connector.connect(identities[u][d], 3, nanos -> { });
            if (s == null) {
                failed.incrementAndGet();
                return;
            }
            tracks[u][d].newSession();
            sessions[u][d] = s;
        });
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + todo.size() + " sessions could not connect: "
                    + connector.failureSummary());
        }
    }

    boolean[][] openNow() {
        boolean[][] open = new boolean[users][devices];
        for (int u = 0; u < users; u++) {
            for (int d = 0; d < devices; d++) {
                open[u][d] = sessions[u][d] != null && !sessions[u][d].isClosed();
            }
        }
        return open;
    }

    /** Accounts the frames of every session to {@code ledger} (null: between windows). */
    void window(Ledger ledger) {
        boolean[][] open = openNow();
        for (int u = 0; u < users; u++) {
            int count = 0;
            for (int d = 0; d < devices; d++) {
                count += open[u][d] ? 1 : 0;
            }
            for (int d = 0; d < devices; d++) {
                tracks[u][d].window(ledger, count - (open[u][d] ? 1 : 0));
            }
        }
    }

    /** Hands every frame still waiting in the sessions' inboxes to their tracks. */
    void drainAll() {
        for (int u = 0; u < users; u++) {
            for (int d = 0; d < devices; d++) {
                DeviceSession s = sessions[u][d];
                if (s != null) {
                    for (ServerFrame f : s.drain()) {
                        fault.receive(tracks[u][d], f, System.nanoTime());
                    }
                }
            }
        }
    }

    /** Sends each device's cumulative ack of what it received since the last call. */
    void ackReceived() {
        for (int u = 0; u < users; u++) {
            for (int d = 0; d < devices; d++) {
                DeviceSession s = sessions[u][d];
                long seq = tracks[u][d].takeAckable();
                if (seq > 0 && s != null && !s.isClosed()) {
                    try {
                        s.ack(seq);
                    } catch (RuntimeException e) {
                        // the session closed: its close is reported with the window
                    }
                }
            }
        }
    }

    /** Starts receiving every open session's frames as they arrive. */
    Receivers startReceivers() {
        return new Receivers();
    }

    /**
     * While a window runs, each open session hands its frames to its track as they arrive, on the
     * client's connection thread ({@link DeviceSession#handleFrames}): no thread of the bench waits
     * for each frame.
     */
    final class Receivers {
        private final List<DeviceSession> receiving = new ArrayList<>();

        private Receivers() {
            for (int u = 0; u < users; u++) {
                for (int d = 0; d < devices; d++) {
                    DeviceSession s = sessions[u][d];
                    DeviceTrack t = tracks[u][d];
                    if (s != null && !s.isClosed()) {
                        s.handleFrames(frame -> fault.receive(t, frame, System.nanoTime()));
                        receiving.add(s);
                    }
                }
            }
        }

        /** Frames go to the sessions' inboxes again (for {@link #drainAll()} and the replays). */
        void stop() {
            receiving.forEach(s -> s.handleFrames(null));
        }
    }

    /** Sessions that are closed now, with their close codes. */
    List<String> closedSessions() {
        List<String> closed = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int d = 0; d < devices; d++) {
                DeviceSession s = sessions[u][d];
                if (s != null && s.isClosed()) {
                    closed.add("user " + u + " device " + d + ": close " + s.closeCode()
                            + (s.closeReason() == null || s.closeReason().isBlank() ? "" : " " + s.closeReason()));
                }
            }
        }
        return closed;
    }

    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Parallel.forEach("close", users * devices, concurrency, deadline, i -> {
            DeviceSession s = sessions[i / devices][i % devices];
            if (s != null) {
                s.close();
            }
        });
    }
}
