package dev.pocketbridge.event.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.event.EventServiceIntegrationTest;
import dev.pocketbridge.event.cursor.DeviceCursors;
import dev.pocketbridge.event.log.AppendOutcome;
import dev.pocketbridge.event.log.EventLog;
import dev.pocketbridge.event.log.LogPurges;
import dev.pocketbridge.event.log.Tombstones;

/**
 * Erasure from the {@code users} and {@code devices} topics on the real database and broker: every
 * row about a deleted user goes, a removed device's rows go, only hashes stay for a while, and events
 * and acks still on their way (the topics are consumed independently) write nothing back.
 */
class ErasureIntegrationTest extends EventServiceIntegrationTest {

    /** A thread per task: the common pool may have a single thread here, and these tasks block. */
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    Erasures erasures;
    @Autowired
    EventLog eventLog;
    @Autowired
    LogPurges purges;
    @Autowired
    DeviceCursors cursors;
    @Autowired
    TombstonePurger purger;

    @Test
    void aDeletedUsersRowsLeaveEveryTableAndOnlyAHashOfTheIdStays() {
        Sender a = Sender.create(1);
        Sender a2 = a.otherDevice();
        Sender b = Sender.create(1);
        fill(a, a2);
        fill(b, b.otherDevice());
        // Every table keyed by the user holds something of A before, so the scan below proves something.
        assertThat(rowsAbout(a, a2)).containsOnlyKeys("events", "user_logs", "user_purges", "stream_heads",
                "device_positions", "device_cursors");
        Map<String, Long> ofB = rowsAbout(b);

        sendAccountChange(new AccountChange.UserDeleted(a.userId(), List.of(a.deviceId(), a2.deviceId()),
                clock.millis()));

        await().atMost(WAIT).until(() -> rowsAbout(a, a2).isEmpty());
        assertThat(rowsAbout(b)).isEqualTo(ofB);
        assertThat(jdbc.sql("SELECT count(*) FROM erased_users WHERE user_hash = :h")
                .param("h", Tombstones.hash(UUID.fromString(a.userId()))).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aRedeliveredOrRepeatedErasureFindsNothingLeftAndAnUnreadableChangeDoesNotStopTheListener() {
        Sender a = Sender.create(1);
        fill(a, a.otherDevice());
        UUID user = UUID.fromString(a.userId());
        String poisonKey = "poison-" + uuid();

        send(Topics.USERS, poisonKey, "{\"kind\":\"user_exploded\",\"user_id\":\"" + a.userId() + "\"}");
        send(Topics.USERS, poisonKey, "{\"kind\":\"user_deleted\",\"user_id\":\"NOT-A-UUID\",\"at\":1}");
        AccountChange.UserDeleted deleted = new AccountChange.UserDeleted(a.userId(), List.of(), clock.millis());
        sendAccountChange(deleted);
        sendAccountChange(deleted);
        awaitConsumed(Topics.USERS);

        assertThat(rowsAbout(a)).isEmpty();
        await().atMost(WAIT).until(() -> deadLetters(Topics.USERS, poisonKey).size() == 2);
        assertThat(erasures.eraseUser(user)).isEqualTo(new Erasures.Erased(0, 0, 0, 0, 0));
        assertThat(rowsAbout(a)).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM erased_users WHERE user_hash = :h")
                .param("h", Tombstones.hash(user)).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aRemovedDevicesCursorAndPositionGoWhileItsEventsStayInTheUsersLog() {
        Sender a = Sender.create(1);
        Sender a2 = a.otherDevice();
        fill(a, a2);
        long events = count("events", a.userId());
        long eventsOfA = rowsOfDevice(a).get("events");
        Map<String, Long> ofA2 = rowsOfDevice(a2);

        // Revocations change nothing stored here.
        sendAccountChange(new AccountChange.DeviceRevoked(a.userId(), a.deviceId(), "lost", clock.millis()));
        sendAccountChange(new AccountChange.DeviceUnrevoked(a.userId(), a.deviceId(), clock.millis()));
        awaitConsumed(Topics.DEVICES);
        assertThat(rowsOfDevice(a)).containsOnlyKeys("events", "device_positions", "device_cursors");

        sendAccountChange(new AccountChange.DeviceRemoved(a.userId(), a.deviceId(), clock.millis()));
        awaitConsumed(Topics.DEVICES);

        // Only its events are left of it.
        assertThat(rowsOfDevice(a)).isEqualTo(Map.of("events", eventsOfA));
        assertThat(rowsOfDevice(a2)).isEqualTo(ofA2);
        assertThat(count("events", a.userId())).isEqualTo(events);
        assertThat(jdbc.sql("SELECT count(*) FROM removed_devices WHERE device_hash = :h")
                .param("h", Tombstones.hash(UUID.fromString(a.deviceId()))).query(Long.class).single())
                .isEqualTo(1);

        // Its events and acks still in flight are refused; the user's other device goes on.
        int storedBefore = stored(a.userId()).size();
        sendInbound(a.event(100, "s"));
        sendAck(a.userId(), a.deviceId(), 1);
        storeAll(a2, List.of(a2.event(100, "s")));
        awaitConsumed(Topics.EVENTS_INBOUND, Topics.ACKS);
        assertThat(rowsOfDevice(a)).isEqualTo(Map.of("events", eventsOfA));
        assertThat(stored(a.userId())).hasSize(storedBefore + 1);
        await().atMost(WAIT).until(() -> rejections(a).size() == 1);
        assertThat(rejections(a)).containsExactly(RejectCode.INVALID_EVENT.wire());
    }

    @Test
    void eventsAndAcksOfAnErasedUserStillInFlightAreRefusedAndWriteNothing() {
        Sender a = Sender.create(2);
        Sender a2 = a.otherDevice();
        fill(a, a2);
        sendAccountChange(new AccountChange.UserDeleted(a.userId(), List.of(a.deviceId()), clock.millis()));
        await().atMost(WAIT).until(() -> rowsAbout(a, a2).isEmpty());
        int storedBefore = stored(a.userId()).size();

        // Still in events.inbound and acks when the erasure ran: consumed after it.
        sendInbound(a.event(50, "s"));
        sendInbound(a2.event(50, "new-stream"));
        sendAck(a.userId(), a.deviceId(), 3);
        sendAck(a.userId(), uuid(), 1);
        awaitConsumed(Topics.EVENTS_INBOUND, Topics.ACKS);

        assertThat(rowsAbout(a, a2)).isEmpty();
        await().atMost(WAIT).until(() -> rejections(a).size() == 2);
        assertThat(rejections(a)).containsExactly(RejectCode.INVALID_EVENT.wire(), RejectCode.INVALID_EVENT.wire());
        assertThat(stored(a.userId())).hasSize(storedBefore);
    }

    @Test
    void anErasureRacingWithTheUsersTrafficLeavesNothingBehind() throws Exception {
        Sender a = Sender.create(3);
        Sender a2 = a.otherDevice();
        AtomicBoolean erased = new AtomicBoolean();
        // Events and acks of both devices go on before, while and after the erasure runs; the last 20
        // are sent once its tombstone is committed, so some are certainly consumed after it.
        CompletableFuture<Integer> traffic = CompletableFuture.supplyAsync(() -> {
            int sent = 0;
            int afterErasure = 0;
            while (afterErasure < 20) {
                sent++;
                Sender from = sent % 2 == 0 ? a : a2;
                sendInbound(from.event(sent, "stream-" + sent % 5));
                sendAck(a.userId(), from.deviceId(), sent);
                if (erased.get()) {
                    afterErasure++;
                }
            }
            return sent;
        }, THREADS);
        awaitStored(a.userId(), 10);
        sendAccountChange(new AccountChange.UserDeleted(a.userId(), List.of(a.deviceId(), a2.deviceId()),
                clock.millis()));
        await().atMost(WAIT).until(() -> tombstones(UUID.fromString(a.userId()), UUID.randomUUID()) == 1);
        erased.set(true);
        int sent = traffic.get(60, TimeUnit.SECONDS);
        awaitConsumed(Topics.USERS, Topics.EVENTS_INBOUND, Topics.ACKS);

        assertThat(rowsAbout(a, a2)).isEmpty();
        // Every event was answered once: stored before the erasure, or refused after it; never half stored.
        await().atMost(WAIT).until(() -> stored(a.userId()).size() + rejections(a).size() == sent);
        assertThat(rejections(a)).hasSizeGreaterThanOrEqualTo(20).allMatch(RejectCode.INVALID_EVENT.wire()::equals);
    }

    @Test
    void anAppendWaitingForTheHeadRowSeesAnErasureCommittedMeanwhile() throws Exception {
        Sender a = Sender.create(0);
        storeAll(a, List.of(a.event(1, "s")));
        UUID user = UUID.fromString(a.userId());
        CompletableFuture<List<AppendOutcome>> append;
        try (Connection erasure = transaction()) {
            // What an erasure's first transaction does: hold the head row, write the tombstone.
            execute(erasure, "SELECT head_seq FROM user_logs WHERE user_id = ? FOR UPDATE", user);
            append = CompletableFuture.supplyAsync(() -> eventLog.appendAll(List.of(a.event(2, "s"))), THREADS);
            awaitLockWaiters(1, "FOR UPDATE OF l");
            execute(erasure, "INSERT INTO erased_users (user_hash, erased_at) VALUES (?, ?)", Tombstones.hash(user),
                    OffsetDateTime.now(ZoneOffset.UTC));
            erasure.commit();
        }

        AppendOutcome outcome = append.get(30, TimeUnit.SECONDS).getFirst();
        assertThat(outcome).isInstanceOf(AppendOutcome.Rejected.class);
        assertThat(((AppendOutcome.Rejected) outcome).code()).isEqualTo(RejectCode.INVALID_EVENT);
        assertThat(count("events", a.userId())).isEqualTo(1);
        erasures.eraseUser(user);
        assertThat(rowsAbout(a)).isEmpty();
    }

    @Test
    void anAckWaitingForTheUsersLockSeesAnErasureCommittedMeanwhile() throws Exception {
        Sender a = Sender.create(0);
        storeAll(a, List.of(a.event(1, "s"), a.event(2, "s")));
        UUID user = UUID.fromString(a.userId());
        DeviceCursors.Device device = new DeviceCursors.Device(user, UUID.fromString(a.deviceId()));
        CompletableFuture<Void> ack;
        try (Connection erasure = transaction()) {
            execute(erasure, "SELECT true FROM pg_advisory_xact_lock(?, ?)", Tombstones.LOCK_SPACE,
                    Tombstones.lockKey(user));
            ack = CompletableFuture.runAsync(() -> cursors.ackAll(Map.of(device, 2L)), THREADS);
            awaitLockWaiters(1, "pg_advisory_xact_lock_shared");
            execute(erasure, "INSERT INTO erased_users (user_hash, erased_at) VALUES (?, ?)", Tombstones.hash(user),
                    OffsetDateTime.now(ZoneOffset.UTC));
            erasure.commit();
        }

        ack.get(30, TimeUnit.SECONDS);
        assertThat(count("device_cursors", a.userId())).isZero();
        // The same ack of a user without a tombstone moves the cursor.
        Sender b = Sender.create(0);
        storeAll(b, List.of(b.event(1, "s")));
        cursors.ackAll(Map.of(new DeviceCursors.Device(UUID.fromString(b.userId()), UUID.fromString(b.deviceId())),
                1L));
        assertThat(count("device_cursors", b.userId())).isEqualTo(1);
        erasures.eraseUser(user);
    }

    @Test
    void anErasureWaitsForAnAppendInFlightAndDeletesWhatItWrote() throws Exception {
        Sender a = Sender.create(0);
        Sender fresh = Sender.create(0);
        storeAll(a, List.of(a.event(1, "s")));
        CompletableFuture<Erasures.Erased> erasureOfA;
        CompletableFuture<Erasures.Erased> erasureOfFresh;
        try (Connection append = transaction()) {
            // What an append does: hold the head row (made if missing: the fresh user has none yet), write rows.
            execute(append, "SELECT head_seq FROM user_logs WHERE user_id = ? FOR UPDATE", UUID.fromString(a.userId()));
            execute(append, "INSERT INTO user_logs (user_id, head_seq) VALUES (?, 1)", UUID.fromString(fresh.userId()));
            insertEvent(append, a, 2);
            insertEvent(append, fresh, 1);
            erasureOfA = CompletableFuture.supplyAsync(() -> erasures.eraseUser(UUID.fromString(a.userId())), THREADS);
            erasureOfFresh = CompletableFuture.supplyAsync(() -> erasures.eraseUser(UUID.fromString(fresh.userId())),
                    THREADS);
            awaitLockWaiters(2, "user_logs");
            append.commit();
        }

        assertThat(erasureOfA.get(30, TimeUnit.SECONDS).events()).isEqualTo(2);
        assertThat(erasureOfFresh.get(30, TimeUnit.SECONDS).events()).isEqualTo(1);
        assertThat(rowsAbout(a)).isEmpty();
        assertThat(rowsAbout(fresh)).isEmpty();
    }

    @Test
    void tombstonesArePurgedAfterTheirRetention() {
        Sender a = Sender.create(0);
        storeAll(a, List.of(a.event(1, "s")));
        UUID user = UUID.fromString(a.userId());
        erasures.eraseUser(user);
        erasures.removeDevice(user, UUID.fromString(a.deviceId()));
        assertThat(tombstones(user, UUID.fromString(a.deviceId()))).isEqualTo(2);

        clock.advance(Duration.ofDays(7).minusMinutes(1));
        purger.purge();
        assertThat(tombstones(user, UUID.fromString(a.deviceId()))).isEqualTo(2);
        clock.advance(Duration.ofMinutes(2));
        assertThat(purger.purge()).isGreaterThanOrEqualTo(2);
        assertThat(tombstones(user, UUID.fromString(a.deviceId()))).isZero();
    }

    @Test
    void logLinesNameAnErasedIdByTheStartOfItsHashOnly() {
        UUID id = UUID.randomUUID();
        assertThat(Erasures.label(id)).startsWith("sha256:").doesNotContain(id.toString().substring(0, 8))
                .isEqualTo("sha256:" + HexFormat.of().formatHex(Tombstones.hash(id), 0, 8));
    }

    @Test
    void aDeviceRemovedAfterItsUserWasErasedOrOfAnUnknownUserLeavesNoHeadRow() {
        Sender a = Sender.create(0);
        storeAll(a, List.of(a.event(1, "s")));
        UUID user = UUID.fromString(a.userId());
        erasures.eraseUser(user);
        erasures.removeDevice(user, UUID.fromString(a.deviceId()));
        assertThat(rowsAbout(a)).isEmpty();
        // Nor does one of a user the log never knew (or whose tombstone is long gone).
        Sender unknown = Sender.create(0);
        erasures.removeDevice(UUID.fromString(unknown.userId()), UUID.fromString(unknown.deviceId()));
        assertThat(rowsAbout(unknown)).isEmpty();
    }

    // --- test data ---------------------------------------------------------------------------

    /** Events of both devices on several streams, acks of both, and a purged event (user_purges). */
    private void fill(Sender one, Sender two) {
        List<InboundEvent> events = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            events.add(one.event(i, "stream-" + i % 3));
            events.add(two.event(i, "other-" + i % 2));
        }
        // One that expires in a minute, purged below once it is past the grace.
        events.add(one.event(uuid(), 11, "short", null, clock.millis() + 60_000));
        storeAll(one, events);
        sendAck(one.userId(), one.deviceId(), 5);
        sendAck(one.userId(), two.deviceId(), 7);
        await().atMost(WAIT).until(() -> count("device_cursors", one.userId()) == 2);
        purges.purgeExpiredBefore(clock.instant().plus(Duration.ofDays(2)), 10_000);
        assertThat(count("user_purges", one.userId())).isEqualTo(1);
    }

    /** The rows with the sender's device id (and not only its user id). */
    private Map<String, Long> rowsOfDevice(Sender s) {
        return rowsWith(List.of(UUID.fromString(s.deviceId())));
    }

    private List<String> rejections(Sender s) {
        return deliveries(s.userId()).stream().map(EventServiceIntegrationTest::delivery)
                .filter(Delivery.Outcome.class::isInstance).map(d -> ((Delivery.Outcome) d).frame())
                .filter(ServerFrame.EventRejected.class::isInstance)
                .map(f -> ((ServerFrame.EventRejected) f).code()).toList();
    }

    private long count(String table, String userId) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE user_id = :u").param("u", UUID.fromString(userId))
                .query(Long.class).single();
    }

    private long tombstones(UUID user, UUID device) {
        return jdbc.sql("""
                        SELECT (SELECT count(*) FROM erased_users WHERE user_hash = :u)
                             + (SELECT count(*) FROM removed_devices WHERE device_hash = :d)""")
                .param("u", Tombstones.hash(user)).param("d", Tombstones.hash(device)).query(Long.class).single();
    }

    /**
     * Rows per table (those with any) that hold one of the senders' user or device ids in any column:
     * as a uuid, inside text, or inside bytes (the 16 raw bytes or the text), in every table the
     * migrations made, so a table added later is scanned too.
     */
    private Map<String, Long> rowsAbout(Sender... senders) {
        List<UUID> ids = new ArrayList<>();
        for (Sender s : senders) {
            ids.add(UUID.fromString(s.userId()));
            ids.add(UUID.fromString(s.deviceId()));
        }
        return rowsWith(ids);
    }

    private Map<String, Long> rowsWith(List<UUID> ids) {
        record Column(String table, String name, String type) {
        }
        List<Column> columns = jdbc.sql("""
                        SELECT table_name, column_name, data_type FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name <> 'flyway_schema_history'
                        ORDER BY table_name, ordinal_position""")
                .query((rs, n) -> new Column(rs.getString(1), rs.getString(2), rs.getString(3))).list();
        assertThat(columns).extracting(Column::table).contains("events", "user_logs", "user_purges", "stream_heads",
                "device_positions", "device_cursors", "erased_users", "removed_devices");
        Map<String, Long> rows = new LinkedHashMap<>();
        for (Column column : columns) {
            for (UUID id : ids) {
                long found = switch (column.type()) {
                    case "uuid" -> jdbc.sql("SELECT count(*) FROM " + column.table() + " WHERE " + column.name()
                            + " = :id").param("id", id).query(Long.class).single();
                    case "text", "character varying" -> jdbc.sql("SELECT count(*) FROM " + column.table() + " WHERE strpos("
                            + column.name() + ", :id) > 0").param("id", id.toString()).query(Long.class).single();
                    case "bytea" -> jdbc.sql("SELECT count(*) FROM " + column.table() + " WHERE position(:raw IN "
                                    + column.name() + ") > 0 OR position(:text IN " + column.name() + ") > 0")
                            .param("raw", bytes(id)).param("text", id.toString().getBytes(StandardCharsets.UTF_8))
                            .query(Long.class).single();
                    default -> 0L;
                };
                if (found > 0) {
                    rows.merge(column.table(), found, Long::sum);
                }
            }
        }
        return rows;
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    // --- a second transaction, on its own connection -------------------------------------------

    private Connection transaction() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    private static void execute(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            statement.execute();
        }
    }

    private static void insertEvent(Connection connection, Sender s, long seq) throws SQLException {
        execute(connection, """
                        INSERT INTO events (user_id, seq, event_id, device_id, device_seq, stream_id, stream_seq,
                            event_type, payload, expires_at, created_at, conflict)
                        VALUES (?, ?, ?, ?, ?, 's', ?, 'note', ?, NULL, ?, false)""",
                UUID.fromString(s.userId()), seq, UUID.randomUUID(), UUID.fromString(s.deviceId()), seq, seq,
                new byte[] {1}, OffsetDateTime.now(ZoneOffset.UTC));
    }

    /** Waits until {@code count} sessions running a statement with {@code fragment} wait for a lock. */
    private void awaitLockWaiters(int count, String fragment) {
        await().atMost(WAIT).until(() -> jdbc.sql("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock' AND strpos(query, :f) > 0""")
                .param("f", fragment).query(Long.class).single() >= count);
    }

}
