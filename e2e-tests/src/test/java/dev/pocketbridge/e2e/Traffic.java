package dev.pocketbridge.e2e;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.PocketBridgeApi;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * Steady traffic from {@code users × devices} {@link TrafficDevice}s on two gateway nodes, and the
 * ledger of everything they sent and got: every event by {@code event_id}, which {@code seq} each
 * was stored under, and the checks that can be made as frames arrive (another user's event, one
 * {@code seq} for two events, one event under two {@code seq}s, live order on a session). Events
 * and counters are attributed to the phase (fault) during which they were first sent.
 */
final class Traffic implements AutoCloseable {

    static final String ORDER = "order";
    static final String CROSS_USER = "cross_user";
    static final String SEQ_CONFLICT = "seq_conflict";
    static final String STORED_TWICE = "stored_twice";
    static final String ACK_MISMATCH = "ack_mismatch";
    static final String LOG_GAP = "log_gap";
    static final String LOG_UNREAD = "log_unread";
    private static final int EXAMPLES = 5;

    /**
     * @param users           users, each with {@code devices} devices
     * @param eventsPerSecond all devices together, while connected
     * @param maxPending      events a device may have unanswered before it skips a send
     */
    record Settings(int users, int devices, double eventsPerSecond, int maxPending) {
    }

    private final Settings settings;
    private final List<URI> webSocketUris;
    private final byte[] serverKey;
    private final UUID[] userIds;
    private final TrafficDevice[][] devices;
    private final Map<String, EventRecord> events = new ConcurrentHashMap<>();
    private final List<Map<Long, String>> eventAtSeq = new ArrayList<>();
    private final List<Map<String, Long>> seqOfEvent = new ArrayList<>();
    private final AtomicLong numbers = new AtomicLong();
    /** Per phase: counter name to count; and check name to count and examples. */
    private final Map<Integer, Map<String, LongAdder>> counters = new ConcurrentHashMap<>();
    private final Map<Integer, Map<String, List<String>>> violations = new ConcurrentHashMap<>();
    private volatile int phase;
    private volatile boolean failover;
    private volatile boolean sending = true;

    private Traffic(Settings settings, List<PocketBridgeApi> gateways) {
        this.settings = settings;
        this.webSocketUris = gateways.stream().map(PocketBridgeApi::webSocketUri).toList();
        this.serverKey = DeviceSession.serverKeyOf(gateways.getFirst().serverInfo());
        this.userIds = new UUID[settings.users()];
        this.devices = new TrafficDevice[settings.users()][settings.devices()];
        for (int u = 0; u < settings.users(); u++) {
            eventAtSeq.add(new ConcurrentHashMap<>());
            seqOfEvent.add(new ConcurrentHashMap<>());
        }
    }

    /**
     * Registers the users (a first device each, then the others paired in, through the public API)
     * and spreads each user's devices over both nodes; nothing is connected yet.
     */
    static Traffic register(Settings settings, List<PocketBridgeApi> gateways) {
        Traffic traffic = new Traffic(settings, gateways);
        PocketBridgeApi api = gateways.getFirst();
        for (int u = 0; u < settings.users(); u++) {
            DeviceIdentity first = Device.registerNewUser(api, "fault-user-" + u + "-device-0", "desktop");
            traffic.userIds[u] = UUID.fromString(first.userId());
            Device owner = new Device(api, first);
            for (int d = 0; d < settings.devices(); d++) {
                DeviceIdentity identity = d == 0 ? first
                        : Device.registerWithPairing(api, owner.createPairing("AA").code(),
                                "fault-user-" + u + "-device-" + d, "mobile");
                traffic.devices[u][d] = new TrafficDevice(u, d, (u + d) % gateways.size(), identity, traffic);
            }
        }
        return traffic;
    }

    void start() {
        forEachDevice(TrafficDevice::start);
    }

    @Override
    public void close() {
        sending = false;
        forEachDevice(d -> {
            try {
                d.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void forEachDevice(Consumer<TrafficDevice> action) {
        for (TrafficDevice[] row : devices) {
            for (TrafficDevice d : row) {
                action.accept(d);
            }
        }
    }

    // --- settings the devices read ---------------------------------------------------------------

    Settings settings() {
        return settings;
    }

    URI webSocketUri(int node) {
        return webSocketUris.get(node);
    }

    byte[] serverKey() {
        return serverKey.clone();
    }

    UUID userId(int user) {
        return userIds[user];
    }

    long sendIntervalNanos() {
        return (long) (1e9 * settings.users() * settings.devices() / settings.eventsPerSecond());
    }

    int maxPending() {
        return settings.maxPending();
    }

    boolean sending() {
        return sending;
    }

    /** While on, a device whose home node does not answer connects to the other one. */
    boolean failover() {
        return failover;
    }

    void failover(boolean on) {
        failover = on;
    }

    /** Starts attributing new events and counters to {@code phase}. */
    void phase(int phase) {
        this.phase = phase;
    }

    int phase() {
        return phase;
    }

    long nextNumber() {
        return numbers.incrementAndGet();
    }

    /** The payload of an event: its user and number, so any device can tell whose it is. */
    static byte[] payload(UUID user, long number) {
        return (user + ":" + number).getBytes(StandardCharsets.UTF_8);
    }

    // --- the ledger ------------------------------------------------------------------------------

    EventRecord register(long number, int user, int device, String eventId, long deviceSeq, long now) {
        EventRecord r = new EventRecord(number, user, device, eventId, deviceSeq, phase, now, settings.devices());
        events.put(eventId, r);
        return r;
    }

    void count(String name) {
        counters.computeIfAbsent(phase, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    void violation(String check, String example) {
        violation(phase, check, example);
    }

    private void violation(int phase, String check, String example) {
        List<String> list = violations.computeIfAbsent(phase, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(check, c -> new ArrayList<>());
        synchronized (list) {
            list.add(example);
        }
    }

    void onAck(int user, int device, ServerFrame.EventAck ack, long now) {
        EventRecord r = events.get(ack.eventId());
        if (r == null) {
            violation(ACK_MISMATCH, "user " + user + " device " + device + " got an ack for unknown event " + ack.eventId());
            return;
        }
        if (r.user != user || r.device != device) {
            violation(ACK_MISMATCH, r + " acked to user " + user + " device " + device);
            return;
        }
        if (r.ackNanos != 0 && r.ackSeq != ack.seq()) {
            violation(STORED_TWICE, r + " acked with seq " + r.ackSeq + " and later with seq " + ack.seq());
        }
        stored(user, ack.eventId(), ack.seq(), "ack to device " + device);
        if (r.ackNanos == 0) {
            r.ackSeq = ack.seq();
            r.ackStatus = ack.status();
            r.ackNanos = now;
            r.receivedNanos.compareAndSet(device, 0, now);
        }
    }

    /**
     * A delivery (live or replayed) to device {@code device} of {@code user}; false when it is
     * not this user's event (a violation, and the device must not take it).
     */
    boolean onDelivered(int user, int device, ServerFrame.DeliveredEvent event, boolean live, long now) {
        String marker = Base64Url.decode(event.encryptedPayload())
                .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("?");
        if (!marker.startsWith(userIds[user] + ":")) {
            violation(CROSS_USER, "user " + user + " device " + device + " got seq " + event.seq() + " (event_id "
                    + event.eventId() + ", payload " + marker + ")" + (live ? " live" : " in a replay"));
            return false;
        }
        stored(user, event.eventId(), event.seq(), "device " + device + (live ? " live" : " by replay"));
        EventRecord r = events.get(event.eventId());
        if (r != null) {
            r.receivedNanos.compareAndSet(device, 0, now);
        }
        return true;
    }

    /** One seq per event and one event per seq, as every device and every ack sees them. */
    private void stored(int user, String eventId, long seq, String seenBy) {
        String atSeq = eventAtSeq.get(user).putIfAbsent(seq, eventId);
        if (atSeq != null && !atSeq.equals(eventId)) {
            violation(SEQ_CONFLICT, "user " + user + " seq " + seq + " is event " + atSeq + " and, for " + seenBy
                    + ", event " + eventId);
        }
        Long seqOf = seqOfEvent.get(user).putIfAbsent(eventId, seq);
        if (seqOf != null && seqOf != seq) {
            violation(STORED_TWICE, "user " + user + " event " + eventId + " is at seq " + seqOf + " and, for " + seenBy
                    + ", at seq " + seq);
        }
    }

    // --- checks and figures ----------------------------------------------------------------------

    /**
     * Reads every user's whole stored log (a replay from seq 0 by one of its devices) and checks it
     * against the ledger: seqs 1..head without a gap, only the user's own events, every event once,
     * and every event acknowledged before the read at the seq of its ack. Failed checks count
     * towards {@code phase}.
     *
     * @return the event ids of acknowledged events that are not in the log at the seq of their ack
     */
    Set<String> auditStoredLogs(int phase, Duration timeout) {
        long asked = System.nanoTime();
        List<CompletableFuture<List<ServerFrame.DeliveredEvent>>> logs = new ArrayList<>();
        for (int u = 0; u < settings.users(); u++) {
            logs.add(devices[u][0].readLog());
        }
        Set<String> lost = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int u = 0; u < settings.users(); u++) {
            List<ServerFrame.DeliveredEvent> log;
            try {
                log = logs.get(u).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                violation(phase, LOG_UNREAD, "user " + u + ": its log could not be read in " + timeout + ": " + e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Map<String, Long> seqOf = new HashMap<>();
            long expected = 1;
            for (ServerFrame.DeliveredEvent e : log) {
                if (e.seq() != expected) {
                    violation(phase, LOG_GAP, "user " + u + ": the stored log has seq " + e.seq() + " where " + expected
                            + " was due");
                }
                expected = e.seq() + 1;
                String marker = Base64Url.decode(e.encryptedPayload())
                        .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("?");
                if (!marker.startsWith(userIds[u] + ":")) {
                    violation(phase, CROSS_USER, "user " + u + ": its stored log has seq " + e.seq() + " with payload "
                            + marker);
                }
                Long before = seqOf.put(e.eventId(), e.seq());
                if (before != null) {
                    violation(phase, STORED_TWICE, "user " + u + ": event " + e.eventId() + " is stored at seq " + before
                            + " and at seq " + e.seq());
                }
            }
            for (EventRecord r : events.values()) {
                if (r.user == u && r.acked() && r.ackNanos < asked) {
                    Long at = seqOf.get(r.eventId);
                    if (at == null || at != r.ackSeq) {
                        lost.add(r.eventId);
                        violation(phase, "lost_from_log", r + " acknowledged with seq " + r.ackSeq + " is "
                                + (at == null ? "not in the stored log" : "at seq " + at + " in the stored log"));
                    }
                }
            }
        }
        return lost;
    }

    /** The events first sent during {@code phase}. */
    List<EventRecord> events(int phase) {
        return events.values().stream().filter(r -> r.phase == phase).toList();
    }

    List<EventRecord> allEvents() {
        return List.copyOf(events.values());
    }

    /**
     * True when every event of {@code phase} is answered for good and every device has all of
     * its user's events up to the newest acknowledged one.
     */
    boolean settled(int phase) {
        return events(phase).stream().allMatch(EventRecord::resolved) && caughtUp();
    }

    /** Every device has all of its user's events up to the newest one acknowledged so far. */
    boolean caughtUp() {
        long[] newest = new long[settings.users()];
        for (EventRecord r : events.values()) {
            if (r.acked()) {
                newest[r.user] = Math.max(newest[r.user], r.ackSeq);
            }
        }
        for (int u = 0; u < settings.users(); u++) {
            for (TrafficDevice d : devices[u]) {
                if (d.cursor() < newest[u]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Devices not connected now, as "user/device". */
    List<String> disconnected() {
        List<String> list = new ArrayList<>();
        forEachDevice(d -> {
            if (!d.connected()) {
                list.add(d.user + "/" + d.device);
            }
        });
        return list;
    }

    /** How many devices have a session on each node now. */
    int[] sessionsPerNode() {
        int[] count = new int[webSocketUris.size()];
        forEachDevice(d -> {
            int node = d.connectedNode();
            if (node >= 0) {
                count[node]++;
            }
        });
        return count;
    }

    /**
     * Seconds from {@code fromNanos} until every user has had a fresh round trip: an event first
     * sent after it, acknowledged to its sender and had by each of the user's other devices
     * (live or by replay); null while some user has none.
     */
    Double roundTripSeconds(long fromNanos) {
        long[] firstDone = new long[settings.users()];
        for (EventRecord r : events.values()) {
            if (r.firstSentNanos < fromNanos) {
                continue;
            }
            long done = r.roundTripDoneNanos();
            if (done != 0 && (firstDone[r.user] == 0 || done < firstDone[r.user])) {
                firstDone[r.user] = done;
            }
        }
        long last = 0;
        for (long done : firstDone) {
            if (done == 0) {
                return null;
            }
            last = Math.max(last, done);
        }
        return (last - fromNanos) / 1e9;
    }

    /** Why {@link #roundTripSeconds} has no answer yet: per user without a round trip, what its events and devices show. */
    String describeRoundTrips(long fromNanos) {
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < settings.users(); u++) {
            int user = u;
            List<EventRecord> fresh = events.values().stream()
                    .filter(r -> r.user == user && r.firstSentNanos >= fromNanos).toList();
            if (fresh.stream().anyMatch(r -> r.roundTripDoneNanos() != 0)) {
                continue;
            }
            long acked = fresh.stream().filter(EventRecord::acked).count();
            int[] missing = new int[settings.devices()];
            for (EventRecord r : fresh) {
                for (int d = 0; d < settings.devices(); d++) {
                    if (d != r.device && r.acked() && r.receivedNanos.get(d) == 0) {
                        missing[d]++;
                    }
                }
            }
            sb.append("user ").append(u).append(": ").append(fresh.size()).append(" sent, ").append(acked)
                    .append(" acked, missing per device ").append(Arrays.toString(missing)).append(", devices");
            for (TrafficDevice d : devices[u]) {
                sb.append(' ').append(d.device).append(d.connected() ? "@node" + d.connectedNode() : " disconnected")
                        .append(" cursor ").append(d.cursor()).append(" pending ").append(d.pendingCount());
            }
            sb.append("; ");
        }
        return sb.toString();
    }

    /** Counters of {@code phase}, by name. */
    Map<String, Long> counters(int phase) {
        Map<String, Long> m = new TreeMap<>();
        counters.getOrDefault(phase, Map.of()).forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** A failed check: how often, with the first few examples. */
    record Violation(String check, int count, List<String> examples) {
    }

    /** Failed checks of {@code phase}. */
    List<Violation> violations(int phase) {
        List<Violation> list = new ArrayList<>();
        new TreeMap<>(violations.getOrDefault(phase, Map.of())).forEach((check, v) -> {
            synchronized (v) {
                list.add(new Violation(check, v.size(), List.copyOf(v.subList(0, Math.min(EXAMPLES, v.size())))));
            }
        });
        return list;
    }
}
