package dev.pocketbridge.device.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.web.RequestIds;

/**
 * The audit log: every admin action (who, what, when, request id, reason) and the bare fact of each
 * account deletion. Written in the transaction of the action it records, so neither exists without
 * the other. Entries about a user lose their ids and reason when that user is deleted.
 */
@Component
public class AuditLog {

    /** Actions, as written to {@code action}. */
    public static final String DEVICE_REVOKED = "device_revoked";
    public static final String DEVICE_UNREVOKED = "device_unrevoked";
    public static final String USER_DELETED = "user_deleted";
    /** The actor of a deletion: the user, who is not named. */
    public static final String ACTOR_ACCOUNT_HOLDER = "account_holder";

    private final JdbcClient jdbc;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String actor, String action, UUID userId, UUID deviceId, String reason) {
        jdbc.sql("""
                INSERT INTO audit_log (at, actor, action, user_id, device_id, request_id, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(Timestamp.from(clock.instant()), actor, action, userId, deviceId, RequestIds.current(), reason)
                .update();
    }

    /** Clears every id and reason that points at {@code userId} or one of its devices (they may name the person). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void forget(UUID userId) {
        jdbc.sql("UPDATE audit_log SET user_id = NULL, device_id = NULL, reason = NULL WHERE user_id = ?")
                .param(userId).update();
    }

    /** Newest first: at most {@code limit} entries with an id below {@code before} (all when null). */
    @Transactional(readOnly = true)
    public List<AuditEntry> page(Long before, int limit) {
        return jdbc.sql("""
                SELECT id, at, actor, action, user_id, device_id, request_id, reason FROM audit_log
                WHERE id < ? ORDER BY id DESC LIMIT ?""")
                .params(before == null ? Long.MAX_VALUE : before, limit)
                .query((rs, n) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").getTime(), rs.getString("actor"),
                        rs.getString("action"), string(rs.getObject("user_id", UUID.class)),
                        string(rs.getObject("device_id", UUID.class)), rs.getString("request_id"), rs.getString("reason")))
                .list();
    }

    private static String string(UUID id) {
        return id == null ? null : id.toString();
    }
}
