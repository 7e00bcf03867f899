package dev.pocketbridge.event.log;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.pocketbridge.common.codec.Base64Url;

/**
 * Reads the log a page at a time, for replay (§3.4), in two SQL statements and no transaction of
 * its own. The first reads, in one snapshot, the user's head, the oldest stored {@code seq} and the
 * payload sizes of up to {@code limit + 1} events (no payloads); the page is cut from those sizes by
 * count and by bytes (each event counts its payload's base64url length plus a fixed envelope), and the
 * second reads the payloads of exactly the events that fit, so a page never holds more than
 * {@code maxBytes} of them (or one event, when a single event is larger). Events committed after the
 * first statement lie above the head it read and belong to the next page; an event purged between
 * the two is left out, and the page still covers its {@code seq}.
 *
 * <p>Round trips, not rows, are what a page costs most here: one statement reading the page whole,
 * cut by a running total in SQL, was tried and took PostgreSQL three times the CPU of these two
 * plain index scans; the transaction the page used to run in only added the round trips of its
 * commit and of reading the head and the oldest seq on their own (docs/performance.md).
 */
@Service
public class LogPages {

    private static final String SIZES = """
            WITH h AS (
                SELECT COALESCE((SELECT head_seq FROM user_logs WHERE user_id = :u), 0) AS head_seq,
                       (SELECT min(seq) FROM events WHERE user_id = :u) AS oldest_seq)
            SELECT h.head_seq, COALESCE(h.oldest_seq, h.head_seq + 1) AS oldest_seq, s.seq, s.payload_bytes
            FROM h LEFT JOIN LATERAL (
                SELECT e.seq, octet_length(e.payload) AS payload_bytes FROM events e
                WHERE e.user_id = :u AND e.seq > :after AND e.seq <= h.head_seq
                  AND (e.expires_at IS NULL OR e.expires_at > :now)
                ORDER BY e.seq LIMIT :rows) s ON true
            ORDER BY s.seq""";

    private static final String EVENTS = "SELECT " + EventLog.EVENT_COLUMNS + " FROM events WHERE user_id = :u "
            + "AND seq > :after AND seq <= :through AND (expires_at IS NULL OR expires_at > :now) ORDER BY seq LIMIT :rows";

    private final JdbcClient jdbc;

    LogPages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A page of the user's log.
     *
     * @param headSeq the user's newest {@code seq} when the page was read (0 before the first event)
     * @param oldestAvailableSeq the smallest {@code seq} still stored, or {@code headSeq + 1} when none is
     * @param events the events of the page, in {@code seq} order
     * @param hasMore whether an event after the page's last one (up to {@code headSeq}) was left out
     * @param throughSeq the last {@code seq} the page covers: with more to come, that of the last event
     *        that fit (purged after the sizes were read or not), else the head; expired and purged
     *        events are not returned but covered, so a client sees no gap that replaying could fill
     */
    public record Page(long headSeq, long oldestAvailableSeq, List<LoggedEvent> events, boolean hasMore,
            long throughSeq) {
    }

    /**
     * Events with {@code seq > after}, up to the head, in {@code seq} order, without those expired at
     * {@code now}: at most {@code limit}, and no more than fit {@code maxBytes} when each counts its
     * payload's base64url length plus {@code envelopeBytes} (but at least one, so a page always moves on).
     */
    public Page page(UUID userId, long after, int limit, long maxBytes, int envelopeBytes, Instant now) {
        OffsetDateTime at = EventLog.utc(now);
        Sizes sizes = jdbc.sql(SIZES).param("u", userId).param("after", after).param("now", at).param("rows", limit + 1)
                .query(Sizes::read);
        List<Row> rows = sizes.rows();
        int fit = Math.min(limit, fitting(rows, maxBytes, envelopeBytes));
        long lastSeq = fit == 0 ? after : rows.get(fit - 1).seq();
        List<LoggedEvent> events = fit == 0 ? List.of()
                : jdbc.sql(EVENTS).param("u", userId).param("after", after).param("through", lastSeq)
                        .param("now", at).param("rows", fit).query(EventLog::row).list();
        boolean hasMore = rows.size() > fit;
        return new Page(sizes.headSeq(), sizes.oldestAvailableSeq(), events, hasMore, hasMore ? lastSeq : sizes.headSeq());
    }

    /** How many leading events fit {@code maxBytes} (at least one, so a page always moves on). */
    private static int fitting(List<Row> rows, long maxBytes, int envelopeBytes) {
        long bytes = 0;
        for (int i = 0; i < rows.size(); i++) {
            bytes += Base64Url.encodedLength(rows.get(i).payloadBytes()) + envelopeBytes;
            if (bytes > maxBytes) {
                return Math.max(1, i);
            }
        }
        return rows.size();
    }

    /** An event's {@code seq} and the length of its payload, as the first statement reads them. */
    private record Row(long seq, long payloadBytes) {
    }

    /** What the first statement read: the head, the oldest seq, and the events' sizes in seq order. */
    private record Sizes(long headSeq, long oldestAvailableSeq, List<Row> rows) {

        static Sizes read(ResultSet rs) throws SQLException {
            long head = 0;
            long oldest = 1;
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                head = rs.getLong(1);
                oldest = rs.getLong(2);
                long seq = rs.getLong(3);
                if (!rs.wasNull()) { // else the one row of an empty page: the head and the oldest seq only
                    rows.add(new Row(seq, rs.getLong(4)));
                }
            }
            return new Sizes(head, oldest, rows);
        }
    }
}
