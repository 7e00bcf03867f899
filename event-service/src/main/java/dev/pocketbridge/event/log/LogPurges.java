package dev.pocketbridge.event.log;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Removes events from the log for good (retention, expiry), a bounded batch per transaction, and
 * gives their bytes back to their users' quotas.
 */
@Component
public class LogPurges {

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;

    LogPurges(JdbcClient jdbc, JdbcTemplate jdbcTemplate) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
    }

    /** What one purge batch removed: events and the bytes they counted against their users' quotas. */
    public record Purged(int events, long bytes) {
    }

    /**
     * Deletes at most {@code limit} events stored before {@code cutoff} (retention), oldest first, in
     * one short transaction.
     */
    @Transactional
    public Purged purgeCreatedBefore(Instant cutoff, int limit) {
        return purge("created_at < :cutoff ORDER BY created_at", cutoff, limit);
    }

    /**
     * Deletes at most {@code limit} events whose own {@code expires_at} is before {@code cutoff}
     * (no device may act on them any more; replay already skips them), in one short transaction.
     */
    @Transactional
    public Purged purgeExpiredBefore(Instant cutoff, int limit) {
        return purge("expires_at < :cutoff ORDER BY expires_at", cutoff, limit);
    }

    /**
     * One purge batch. It never touches {@code user_logs}, so it neither waits for nor holds up any
     * append: rows being purged are skipped by a concurrent purge (another instance), appends only
     * insert rows above the head, and the freed bytes go to {@code user_purges}, written in
     * {@code user_id} order like every other table. {@code oldest_available_seq} is {@code min(seq)},
     * so it follows by itself.
     */
    private Purged purge(String selection, Instant cutoff, int limit) {
        record Freed(UUID userId, long events, long payloadBytes) {
            long bytes() {
                return payloadBytes + events * EventLog.EVENT_OVERHEAD_BYTES;
            }
        }
        List<Freed> freed = jdbc.sql("""
                        WITH doomed AS (
                            SELECT user_id, seq FROM events WHERE %s LIMIT :limit FOR UPDATE SKIP LOCKED
                        ), gone AS (
                            DELETE FROM events e USING doomed d WHERE e.user_id = d.user_id AND e.seq = d.seq
                            RETURNING e.user_id, octet_length(e.payload) AS payload_bytes
                        )
                        SELECT user_id, count(*), sum(payload_bytes) FROM gone GROUP BY user_id ORDER BY user_id"""
                        .formatted(selection))
                .param("cutoff", EventLog.utc(cutoff)).param("limit", limit)
                .query((rs, n) -> new Freed(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3))).list();
        if (freed.isEmpty()) {
            return new Purged(0, 0);
        }
        jdbcTemplate.batchUpdate("INSERT INTO user_purges (user_id, purged_bytes) VALUES (?, ?) ON CONFLICT (user_id) "
                        + "DO UPDATE SET purged_bytes = user_purges.purged_bytes + EXCLUDED.purged_bytes",
                freed, freed.size(), (ps, f) -> {
                    ps.setObject(1, f.userId());
                    ps.setLong(2, f.bytes());
                });
        return new Purged(freed.stream().mapToInt(f -> (int) f.events()).sum(),
                freed.stream().mapToLong(Freed::bytes).sum());
    }
}
