package dev.pocketbridge.event.log;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;

/**
 * The one place that assigns {@code seq} and {@code stream_seq} ({@link LogPages} reads the log a page
 * at a time).
 * Written with SQL rather than JPA entities: appends need a row lock, upserts and a fixed
 * statement order that an ORM would only obscure, and a batch of events is appended with a
 * handful of statements rather than a handful per event.
 */
@Service
public class EventLog {

    static final String EVENT_COLUMNS = "seq, event_id, device_id, device_seq, stream_id, stream_seq, "
            + "event_type, payload, expires_at, created_at, conflict";

    /**
     * What an event counts against its user's quota beyond its payload: the rest of its row (ids,
     * numbers, times, stream and type names of up to 64 characters) and its index entries. Fixed so
     * that appends and purges count alike; V3's backfill uses the same number.
     */
    public static final int EVENT_OVERHEAD_BYTES = 256;

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final Clock clock;
    private final EventValidator validator;
    private final long quotaBytes;
    /** How far in the past {@code expires_at} may be and the event still be stored. */
    private final long clockSkewMillis;
    private final Tombstones tombstones;

    EventLog(JdbcClient jdbc, JdbcTemplate jdbcTemplate, Clock clock, LogProperties properties,
            ProtocolLimitsProperties limits, Tombstones tombstones) {
        this.jdbc = jdbc;
        this.tombstones = tombstones;
        this.jdbcTemplate = jdbcTemplate;
        this.clock = clock;
        this.validator = new EventValidator(limits.maxPayloadBytes());
        this.clockSkewMillis = limits.clockSkew().toMillis();
        this.quotaBytes = properties.quotaBytes();
    }

    /** What an event with this many payload bytes counts against its user's quota. */
    public static long storedBytes(long payloadBytes) {
        return payloadBytes + EVENT_OVERHEAD_BYTES;
    }

    /** One inbound event, as {@link #appendAll} stores it. */
    @Transactional
    public AppendOutcome append(InboundEvent inbound) {
        return appendAll(List.of(inbound)).getFirst();
    }

    /**
     * Checks what no retry can repair: an inbound record the log cannot even answer (no canonical
     * user or device id). The listener dead-letters such a record instead of handing it on.
     */
    public static void checkAddressable(InboundEvent inbound) {
        if (inbound == null) {
            throw new MalformedInboundException("record without an event");
        }
        if (!Uuids.isCanonical(inbound.userId())) {
            throw new MalformedInboundException("user_id is not a canonical UUID");
        }
        if (!Uuids.isCanonical(inbound.deviceId())) {
            throw new MalformedInboundException("device_id is not a canonical UUID");
        }
        if (inbound.schemaVersion() != Topics.EVENTS_INBOUND_SCHEMA_VERSION || inbound.event() == null) {
            throw new MalformedInboundException("not an events.inbound record of schema version "
                    + Topics.EVENTS_INBOUND_SCHEMA_VERSION);
        }
    }

    /**
     * Validates, deduplicates and stores a batch of inbound events in one transaction, with the same
     * outcome, one per event and in the same order, as appending them one at a time in that order.
     * The head rows of every user in the batch are locked first, in {@code user_id} order, so appends
     * of one user are serialised (even if two consumers briefly overlap in a rebalance) and two
     * overlapping batches cannot deadlock. The state is read with one query per table, the
     * sequencing rules run in memory (the quota too: an event the batch stored counts against the
     * next ones), and the writes go out as JDBC batches.
     */
    @Transactional
    public List<AppendOutcome> appendAll(List<InboundEvent> batch) {
        batch.forEach(EventLog::checkAddressable);
        long nowMillis = clock.millis();
        Instant now = Instant.ofEpochMilli(nowMillis);
        AppendOutcome[] outcomes = new AppendOutcome[batch.size()];
        List<Pending> pending = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            InboundEvent inbound = batch.get(i);
            ClientFrame.SendEvent event = inbound.event();
            Optional<EventValidator.Rejection> invalid = validator.validate(event);
            if (invalid.isPresent()) {
                outcomes[i] = new AppendOutcome.Rejected(invalid.get().code(), invalid.get().message());
                continue;
            }
            // Past validation: every field is well formed (expiry is the sequencer's to decide).
            Sequencer.Candidate candidate = new Sequencer.Candidate(UUID.fromString(event.eventId()),
                    UUID.fromString(inbound.deviceId()), event.deviceSeq(), event.streamId(), event.eventType(),
                    Base64Url.decode(event.encryptedPayload()).orElseThrow(), event.expiresAt(),
                    event.baseStreamSeq());
            pending.add(new Pending(i, UUID.fromString(inbound.userId()), candidate));
        }
        if (pending.isEmpty()) {
            return List.of(outcomes);
        }
        BatchState state = readState(pending);
        List<LoggedEventRow> appended = new ArrayList<>();
        for (Pending p : pending) {
            LoggedEvent existing = state.events.get(new EventKey(p.userId, p.candidate.eventId()));
            Sequencer.Decision decision = Sequencer.decide(p.candidate, nowMillis - clockSkewMillis,
                    new Sequencer.State(existing,
                    state.deviceSeqs.getOrDefault(new DeviceKey(p.userId, p.candidate.deviceId()), 0L),
                    state.heads.get(p.userId),
                    state.streamHeads.getOrDefault(new StreamKey(p.userId, p.candidate.streamId()), 0L),
                    quotaBytes - state.usedBytes.get(p.userId), state.gone.contains(p.userId, p.candidate.deviceId())));
            outcomes[p.index] = switch (decision) {
                case Sequencer.Duplicate d -> new AppendOutcome.Stored(d.original().toDelivered(), true);
                case Sequencer.Reject r -> new AppendOutcome.Rejected(r.code(), r.message());
                case Sequencer.Append a -> {
                    Sequencer.Candidate c = p.candidate;
                    LoggedEvent event = new LoggedEvent(a.seq(), c.eventId(), c.deviceId(), c.deviceSeq(),
                            c.streamId(), a.streamSeq(), c.eventType(), c.payload(), c.expiresAt(), nowMillis,
                            a.conflict());
                    state.apply(p.userId, event, c.storedBytes());
                    appended.add(new LoggedEventRow(p.userId, event));
                    yield new AppendOutcome.Stored(event.toDelivered(), false);
                }
            };
        }
        if (!appended.isEmpty()) {
            write(appended, state, now);
        }
        return List.of(outcomes);
    }

    /** An event of the batch that passed stateless validation. */
    private record Pending(int index, UUID userId, Sequencer.Candidate candidate) {
    }

    private record EventKey(UUID userId, UUID eventId) {
    }

    private record DeviceKey(UUID userId, UUID deviceId) {
    }

    private record StreamKey(UUID userId, String streamId) {
    }

    private record LoggedEventRow(UUID userId, LoggedEvent event) {
    }

    /** The log's state for the batch's users, read under their locks and advanced as the batch appends. */
    private static final class BatchState {
        final Map<UUID, Long> heads = new HashMap<>();
        /** Bytes each user has stored (counting the batch's appends so far). */
        final Map<UUID, Long> usedBytes = new HashMap<>();
        /** Bytes the batch appended per user, added to {@code appended_bytes} at the end. */
        final Map<UUID, Long> appendedBytes = new HashMap<>();
        final Map<EventKey, LoggedEvent> events = new HashMap<>();
        final Map<DeviceKey, Long> deviceSeqs = new HashMap<>();
        final Map<StreamKey, Long> streamHeads = new HashMap<>();
        /** Users erased and devices removed (tombstones), read under the head-row locks. */
        Tombstones.Gone gone = Tombstones.Gone.NONE;
        void apply(UUID userId, LoggedEvent event, long storedBytes) {
            heads.put(userId, event.seq());
            usedBytes.merge(userId, storedBytes, Long::sum);
            appendedBytes.merge(userId, storedBytes, Long::sum);
            events.put(new EventKey(userId, event.eventId()), event);
            deviceSeqs.put(new DeviceKey(userId, event.deviceId()), event.deviceSeq());
            streamHeads.put(new StreamKey(userId, event.streamId()), event.streamSeq());
        }
    }

    private BatchState readState(List<Pending> pending) {
        BatchState state = new BatchState();
        List<UUID> users = pending.stream().map(Pending::userId).distinct().sorted().toList();
        // Head rows are created and then locked in user_id order: overlapping batches cannot deadlock.
        jdbc.sql("INSERT INTO user_logs (user_id, head_seq) VALUES :rows ON CONFLICT (user_id) DO NOTHING")
                .param("rows", users.stream().map(u -> new Object[] {u, 0L}).toList()).update();
        // The purged bytes are read without a lock: a purge committing meanwhile only lowers the usage,
        // so the quota is never passed, and purges never wait on appends nor appends on purges.
        jdbc.sql("""
                        SELECT l.user_id, l.head_seq, l.appended_bytes - COALESCE(p.purged_bytes, 0)
                        FROM user_logs l LEFT JOIN user_purges p ON p.user_id = l.user_id
                        WHERE l.user_id IN (:users) ORDER BY l.user_id FOR UPDATE OF l""")
                .param("users", users)
                .query((rs, n) -> {
                    UUID user = rs.getObject(1, UUID.class);
                    state.usedBytes.put(user, rs.getLong(3));
                    return state.heads.put(user, rs.getLong(2));
                }).list();
        // Read only now, holding the locks: an erasure writes its tombstone holding the user's head row
        // too, so every erasure committed before this point is seen, and none commits until this batch has.
        state.gone = tombstones.gone(users,
                pending.stream().map(p -> p.candidate.deviceId()).distinct().toList());
        if (!state.gone.users().isEmpty()) {
            // Their events are all refused; the head row the insert above may have made again goes too.
            jdbc.sql("DELETE FROM user_logs WHERE user_id IN (:users)").param("users", state.gone.users()).update();
        }
        List<Object[]> eventKeys = pending.stream()
                .map(p -> new Object[] {p.userId, p.candidate.eventId()}).toList();
        jdbc.sql("SELECT user_id, " + EVENT_COLUMNS + " FROM events WHERE (user_id, event_id) IN (:keys)")
                .param("keys", eventKeys)
                .query((rs, n) -> state.events.put(new EventKey(rs.getObject("user_id", UUID.class),
                        rs.getObject("event_id", UUID.class)), row(rs, n))).list();
        List<Object[]> deviceKeys = pending.stream()
                .map(p -> new DeviceKey(p.userId, p.candidate.deviceId())).distinct()
                .map(k -> new Object[] {k.userId(), k.deviceId()}).toList();
        jdbc.sql("SELECT user_id, device_id, last_device_seq FROM device_positions "
                        + "WHERE (user_id, device_id) IN (:keys)")
                .param("keys", deviceKeys)
                .query((rs, n) -> state.deviceSeqs.put(new DeviceKey(rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class)), rs.getLong(3))).list();
        List<Object[]> streamKeys = pending.stream()
                .map(p -> new StreamKey(p.userId, p.candidate.streamId())).distinct()
                .map(k -> new Object[] {k.userId(), k.streamId()}).toList();
        jdbc.sql("SELECT user_id, stream_id, head_stream_seq FROM stream_heads WHERE (user_id, stream_id) IN (:keys)")
                .param("keys", streamKeys)
                .query((rs, n) -> state.streamHeads.put(new StreamKey(rs.getObject(1, UUID.class), rs.getString(2)),
                        rs.getLong(3))).list();
        return state;
    }

    private void write(List<LoggedEventRow> appended, BatchState state, Instant now) {
        OffsetDateTime createdAt = utc(now);
        batch("INSERT INTO events (user_id, " + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                appended, (ps, row) -> {
                    LoggedEvent e = row.event();
                    ps.setObject(1, row.userId());
                    ps.setLong(2, e.seq());
                    ps.setObject(3, e.eventId());
                    ps.setObject(4, e.deviceId());
                    ps.setLong(5, e.deviceSeq());
                    ps.setString(6, e.streamId());
                    ps.setLong(7, e.streamSeq());
                    ps.setString(8, e.eventType());
                    ps.setBytes(9, e.payload());
                    if (e.expiresAt() == null) {
                        ps.setNull(10, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        ps.setObject(10, utc(Instant.ofEpochMilli(e.expiresAt())));
                    }
                    ps.setObject(11, createdAt);
                    ps.setBoolean(12, e.conflict());
                });
        // The heads the appended events moved, written back once each with their final value, in key
        // order, as every other writer of a table does, so two transactions (two appends overlapping
        // in a rebalance) never wait on each other in a cycle.
        batch("UPDATE user_logs SET head_seq = ?, appended_bytes = appended_bytes + ? WHERE user_id = ?",
                keysOf(appended, LoggedEventRow::userId, Comparator.naturalOrder()), (ps, user) -> {
                    ps.setLong(1, state.heads.get(user));
                    ps.setLong(2, state.appendedBytes.get(user));
                    ps.setObject(3, user);
                });
        batch("INSERT INTO stream_heads (user_id, stream_id, head_stream_seq) VALUES (?, ?, ?) "
                        + "ON CONFLICT (user_id, stream_id) DO UPDATE SET head_stream_seq = EXCLUDED.head_stream_seq",
                keysOf(appended, r -> new StreamKey(r.userId(), r.event().streamId()), STREAM_ORDER), (ps, stream) -> {
                    ps.setObject(1, stream.userId());
                    ps.setString(2, stream.streamId());
                    ps.setLong(3, state.streamHeads.get(stream));
                });
        batch("INSERT INTO device_positions (user_id, device_id, last_device_seq) VALUES (?, ?, ?) "
                        + "ON CONFLICT (user_id, device_id) DO UPDATE SET last_device_seq = EXCLUDED.last_device_seq",
                keysOf(appended, r -> new DeviceKey(r.userId(), r.event().deviceId()), DEVICE_ORDER), (ps, device) -> {
                    ps.setObject(1, device.userId());
                    ps.setObject(2, device.deviceId());
                    ps.setLong(3, state.deviceSeqs.get(device));
                });
    }

    private static final Comparator<DeviceKey> DEVICE_ORDER =
            Comparator.comparing(DeviceKey::userId).thenComparing(DeviceKey::deviceId);
    private static final Comparator<StreamKey> STREAM_ORDER =
            Comparator.comparing(StreamKey::userId).thenComparing(StreamKey::streamId);

    private static <K> List<K> keysOf(List<LoggedEventRow> rows, Function<LoggedEventRow, K> key,
            Comparator<? super K> order) {
        return rows.stream().map(key).distinct().sorted(order).toList();
    }

    private <T> void batch(String sql, List<T> rows, ParameterizedPreparedStatementSetter<T> setter) {
        jdbcTemplate.batchUpdate(sql, rows, rows.size(), setter);
    }

    /** Bytes the user's stored events count against the quota (0 for a user without any). */
    @Transactional(readOnly = true)
    public long storedBytes(UUID userId) {
        return jdbc.sql("""
                        SELECT l.appended_bytes - COALESCE(p.purged_bytes, 0)
                        FROM user_logs l LEFT JOIN user_purges p ON p.user_id = l.user_id WHERE l.user_id = :u""")
                .param("u", userId).query(Long.class).optional().orElse(0L);
    }

    /** A row of {@code events} as the log reads it ({@link LogPages}). */
    static LoggedEvent row(ResultSet rs, int rowNum) throws SQLException {
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return new LoggedEvent(rs.getLong("seq"), rs.getObject("event_id", UUID.class),
                rs.getObject("device_id", UUID.class), rs.getLong("device_seq"), rs.getString("stream_id"),
                rs.getLong("stream_seq"), rs.getString("event_type"), rs.getBytes("payload"),
                expires == null ? null : expires.toInstant().toEpochMilli(),
                rs.getObject("created_at", OffsetDateTime.class).toInstant().toEpochMilli(),
                rs.getBoolean("conflict"));
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
