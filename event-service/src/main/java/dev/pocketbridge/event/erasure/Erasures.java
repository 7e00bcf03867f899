package dev.pocketbridge.event.erasure;

import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.pocketbridge.event.log.Tombstones;
import dev.pocketbridge.event.replay.ReadAhead;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Erases what the log keeps about a deleted user or a removed device, idempotently (a change may be
 * delivered again, or an erasure fail half way and be retried: every step deletes what is left).
 *
 * <p>A user: first one transaction writes the tombstone under the user's locks
 * ({@link Tombstones}), so no append or ack writes the user's rows after it; then the events and
 * the stream heads go in transactions of at most {@code batch-size} rows (a user may have millions),
 * and a last transaction deletes the rest ({@code device_positions}, {@code device_cursors},
 * {@code user_purges}, {@code user_logs}). A device: one transaction writes its tombstone and deletes
 * its rows ({@code device_cursors}, {@code device_positions}); its events stay, they are the user's.
 *
 * <p>No table has a foreign key, so the order of the deletes matters only for the locks: rows are
 * deleted once nothing can write them again.
 */
@Service
class Erasures {

    private static final Logger log = LoggerFactory.getLogger(Erasures.class);

    /** Counter of erasures done, tagged {@code kind}: {@code user} or {@code device}. */
    static final String ERASURES_METRIC = "pocketbridge.erasures";
    /** Counter of rows deleted by erasures, tagged {@code table}. */
    static final String ERASED_ROWS_METRIC = "pocketbridge.erasures.rows";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Tombstones tombstones;
    private final ReadAhead readAhead;
    private final ErasureProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    Erasures(JdbcClient jdbc, PlatformTransactionManager transactionManager, Tombstones tombstones,
            ReadAhead readAhead, ErasureProperties properties, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.tombstones = tombstones;
        this.readAhead = readAhead;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /** What one erasure deleted ({@code userRows}: of {@code user_logs} and {@code user_purges}). */
    public record Erased(long events, long streamHeads, long devicePositions, long deviceCursors, long userRows) {
    }

    /** Deletes every row about the user; its id is kept only as a hash in the tombstone. */
    public Erased eraseUser(UUID userId) {
        long started = System.nanoTime();
        boolean madeFirst = Boolean.TRUE.equals(transactions.execute(tx -> {
            boolean made = tombstones.lockUser(userId);
            tombstones.recordErasedUser(userId, clock.instant());
            return made;
        }));
        // Nothing writes the user's rows any more: delete them a bounded chunk at a time. Until one
        // chunk finds nothing, not until one is short: a retention purge may hold some rows meanwhile.
        long events = drain("""
                DELETE FROM events WHERE user_id = :u AND seq IN (
                    SELECT seq FROM events WHERE user_id = :u ORDER BY seq LIMIT :n)""", userId);
        readAhead.forget(userId); // replay pages read before the events went
        long streams = drain("""
                DELETE FROM stream_heads WHERE user_id = :u AND stream_id IN (
                    SELECT stream_id FROM stream_heads WHERE user_id = :u ORDER BY stream_id LIMIT :n)""", userId);
        Erased erased = transactions.execute(tx -> {
            // A head row made by the locks (the user had none) is not counted as erased.
            boolean made = tombstones.lockUser(userId) || madeFirst;
            long positions = delete("DELETE FROM device_positions WHERE user_id = :u", userId);
            long cursors = delete("DELETE FROM device_cursors WHERE user_id = :u", userId);
            long userRows = delete("DELETE FROM user_purges WHERE user_id = :u", userId)
                    + delete("DELETE FROM user_logs WHERE user_id = :u", userId) - (made ? 1 : 0);
            return new Erased(events, streams, positions, cursors, userRows);
        });
        count("user", erased);
        log.info("erased user {}: {} events, {} stream heads, {} device positions, {} device cursors in {} ms",
                label(userId), erased.events(), erased.streamHeads(), erased.devicePositions(), erased.deviceCursors(),
                (System.nanoTime() - started) / 1_000_000);
        return erased;
    }

    /** Deletes the device's rows (its cursor and position); its events stay in the user's log. */
    public Erased removeDevice(UUID userId, UUID deviceId) {
        Erased erased = transactions.execute(tx -> {
            boolean made = tombstones.lockUser(userId);
            tombstones.recordRemovedDevice(deviceId, clock.instant());
            long cursors = jdbc.sql("DELETE FROM device_cursors WHERE user_id = :u AND device_id = :d")
                    .param("u", userId).param("d", deviceId).update();
            long positions = jdbc.sql("DELETE FROM device_positions WHERE user_id = :u AND device_id = :d")
                    .param("u", userId).param("d", deviceId).update();
            // A head row the locks made must not outlive them: the user may be erased already (users
            // and devices are consumed independently), even so long ago that its tombstone is gone
            // (a replay of the topic from the start). An append waiting to make it makes it after us.
            if (made) {
                delete("DELETE FROM user_logs WHERE user_id = :u", userId);
            }
            return new Erased(0, 0, positions, cursors, 0);
        });
        count("device", erased);
        log.info("removed device {} of user {}: {} device positions, {} device cursors", label(deviceId),
                label(userId), erased.devicePositions(), erased.deviceCursors());
        return erased;
    }

    /** Runs a chunked delete, one transaction per chunk, until a chunk deletes nothing. */
    private long drain(String sql, UUID userId) {
        long total = 0;
        while (true) {
            Integer deleted = transactions.execute(tx -> jdbc.sql(sql).param("u", userId)
                    .param("n", properties.batchSize()).update());
            if (deleted == null || deleted == 0) {
                return total;
            }
            total += deleted;
        }
    }

    private long delete(String sql, UUID userId) {
        return jdbc.sql(sql).param("u", userId).update();
    }

    private void count(String kind, Erased erased) {
        meters.counter(ERASURES_METRIC, "kind", kind).increment();
        meters.counter(ERASED_ROWS_METRIC, "table", "events").increment(erased.events());
        meters.counter(ERASED_ROWS_METRIC, "table", "stream_heads").increment(erased.streamHeads());
        meters.counter(ERASED_ROWS_METRIC, "table", "device_positions").increment(erased.devicePositions());
        meters.counter(ERASED_ROWS_METRIC, "table", "device_cursors").increment(erased.deviceCursors());
    }

    /**
     * How logs name an erased id: the start of its tombstone hash (an operator can check an id
     * against it), so the logs keep no id the erasure removed.
     */
    static String label(UUID id) {
        return "sha256:" + HexFormat.of().formatHex(Tombstones.hash(id), 0, 8);
    }
}
