package dev.pocketbridge.auth.device;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.web.DeviceDirectory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Sign-outs at device-service ({@link DeviceDirectory#signOut}) that must not be lost: a
 * refresh-token reuse {@linkplain #request requests} one in the transaction that revokes the
 * device's refresh tokens (a row of {@code pending_sign_outs}), then {@linkplain #deliver delivers}
 * it at once; whatever device-service did not confirm is retried every {@code sign-out-retry-interval}
 * until it does ({@link #retryPending}). A late sign-out cuts off the device's access tokens issued up
 * to its delivery, not only those before the reuse: the device then signs in again with its key.
 * Several instances may deliver the same row; a repeated sign-out only moves the cut to its own second.
 * Metric {@code auth.sign_outs.pending}: rows waiting.
 */
@Component
public class DeviceSignOuts implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(DeviceSignOuts.class);
    private static final int RETRY_BATCH = 100;

    private final JdbcClient jdbc;
    private final DeviceDirectory directory;
    private final DeviceServiceProperties properties;
    private final Clock clock;

    DeviceSignOuts(JdbcClient jdbc, DeviceDirectory directory, DeviceServiceProperties properties, Clock clock,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.directory = directory;
        this.properties = properties;
        this.clock = clock;
        Gauge.builder("auth.sign_outs.pending", this, DeviceSignOuts::pending)
                .description("Device sign-outs requested by a refresh-token reuse and not yet confirmed by device-service")
                .register(meters);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::retryQuietly, properties.signOutRetryInterval());
    }

    /** Adds a sign-out of the device to the caller's transaction; it is pending once that commits. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void request(UUID userId, UUID deviceId) {
        jdbc.sql("""
                INSERT INTO pending_sign_outs (device_id, user_id, requested_at) VALUES (?, ?, ?)
                ON CONFLICT (device_id) DO UPDATE SET user_id = EXCLUDED.user_id, requested_at = EXCLUDED.requested_at""")
                .params(deviceId, userId, Timestamp.from(clock.instant()))
                .update();
    }

    /**
     * Delivers the device's pending sign-out now.
     *
     * @return true when device-service confirmed it (or none was pending); false when it stays pending
     */
    public boolean deliver(UUID deviceId) {
        return jdbc.sql("SELECT requested_at FROM pending_sign_outs WHERE device_id = ?").param(deviceId)
                .query(Timestamp.class).optional()
                .map(requestedAt -> attempt(new Pending(deviceId, requestedAt)))
                .orElse(true);
    }

    /**
     * Delivers pending sign-outs, oldest first, until one fails (device-service is then likely away).
     *
     * @return how many device-service confirmed
     */
    public int retryPending() {
        List<Pending> pending = jdbc.sql("SELECT device_id, requested_at FROM pending_sign_outs ORDER BY requested_at LIMIT ?")
                .param(RETRY_BATCH)
                .query((rs, n) -> new Pending(rs.getObject(1, UUID.class), rs.getTimestamp(2)))
                .list();
        int delivered = 0;
        for (Pending sign : pending) {
            if (!attempt(sign)) {
                break;
            }
            delivered++;
        }
        if (delivered > 0) {
            log.info("delivered {} pending device sign-outs", delivered);
        }
        return delivered;
    }

    /** Drops the pending sign-outs of a deleted user and of its devices: nothing is left to sign out. */
    public int forgetUser(UUID userId, Collection<UUID> deviceIds) {
        return jdbc.sql("DELETE FROM pending_sign_outs WHERE user_id = ?").param(userId).update()
                + forgetDevices(deviceIds);
    }

    /** Drops the pending sign-outs of removed devices. */
    public int forgetDevices(Collection<UUID> deviceIds) {
        if (deviceIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("DELETE FROM pending_sign_outs WHERE device_id IN (:ids)").param("ids", deviceIds).update();
    }

    private boolean attempt(Pending sign) {
        if (directory.signOut(sign.deviceId().toString())) {
            // A newer reuse of the device moved requested_at: that one stays pending.
            jdbc.sql("DELETE FROM pending_sign_outs WHERE device_id = ? AND requested_at = ?")
                    .params(sign.deviceId(), sign.requestedAt()).update();
            return true;
        }
        jdbc.sql("UPDATE pending_sign_outs SET attempts = attempts + 1 WHERE device_id = ?").param(sign.deviceId())
                .update();
        return false;
    }

    private void retryQuietly() {
        try {
            retryPending();
        } catch (RuntimeException e) {
            log.warn("retrying the pending device sign-outs failed: {}", e.toString());
        }
    }

    private double pending() {
        try {
            return jdbc.sql("SELECT count(*) FROM pending_sign_outs").query(Long.class).single();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private record Pending(UUID deviceId, Timestamp requestedAt) {
    }
}
