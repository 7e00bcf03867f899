package dev.pocketbridge.device.registry;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A user's last activity ({@code users.last_activity_at}): noted on API use and on the user's events,
 * written at most once a minute per user by this instance (a bounded cache remembers who was written
 * within the minute). Best effort: a failed write is logged and never fails the request it rides on.
 */
@Component
class UserActivity {

    private static final Logger log = LoggerFactory.getLogger(UserActivity.class);
    static final Duration THROTTLE = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final Cache<UUID, Boolean> writtenRecently;

    UserActivity(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.writtenRecently = Caffeine.newBuilder().expireAfterWrite(THROTTLE).maximumSize(200_000).build();
    }

    /** Notes that {@code userId} was active now. */
    public void touch(UUID userId) {
        if (writtenRecently.asMap().putIfAbsent(userId, Boolean.TRUE) != null) {
            return;
        }
        try {
            Timestamp now = Timestamp.from(clock.instant());
            ownTransaction.executeWithoutResult(status -> jdbc.sql("""
                    UPDATE users SET last_activity_at = ?
                    WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)""")
                    .params(now, userId, now).update());
        } catch (RuntimeException e) {
            writtenRecently.invalidate(userId);
            log.warn("could not record the activity of a user: {}", e.toString());
        }
    }
}
