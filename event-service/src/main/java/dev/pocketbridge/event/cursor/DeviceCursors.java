package dev.pocketbridge.event.cursor;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.event.log.LogPages;
import dev.pocketbridge.event.log.Tombstones;

/**
 * Per-device positions: the highest {@code seq} acknowledged ({@code device_cursors}, written here)
 * and the highest {@code device_seq} stored ({@code device_positions}, written by the event log).
 * The two live in separate tables so the acks listener and the inbound listener never wait on each
 * other's row locks.
 */
@Service
public class DeviceCursors {

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final Tombstones tombstones;

    DeviceCursors(JdbcClient jdbc, JdbcTemplate jdbcTemplate, Tombstones tombstones) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.tombstones = tombstones;
    }

    /** A device of a user. */
    public record Device(UUID userId, UUID deviceId) {
    }

    /**
     * Moves the device's acknowledged position forward to {@code seq}, never back and never past the
     * user's head (a device cannot have processed what does not exist).
     */
    @Transactional
    public void ack(UUID userId, UUID deviceId, long seq) {
        ackAll(Map.of(new Device(userId, deviceId), seq));
    }

    /**
     * {@link #ack} for several devices in one transaction, as one JDBC batch. Acks of an erased user
     * or a removed device (a tombstone, read while holding the users' shared erasure locks, so no
     * erasure commits in between) are dropped: the erasure deleted, or is about to delete, their cursors.
     */
    @Transactional
    public void ackAll(Map<Device, Long> seqs) {
        List<UUID> users = seqs.keySet().stream().map(Device::userId).distinct().toList();
        tombstones.shareUsers(users);
        Tombstones.Gone gone = tombstones.gone(users, seqs.keySet().stream().map(Device::deviceId).distinct().toList());
        // In key order, as every writer of a table does, so concurrent writers cannot deadlock.
        List<Map.Entry<Device, Long>> rows = seqs.entrySet().stream()
                .filter(e -> !gone.contains(e.getKey().userId(), e.getKey().deviceId()))
                .sorted(Comparator.comparing((Map.Entry<Device, Long> e) -> e.getKey().userId())
                        .thenComparing(e -> e.getKey().deviceId()))
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        jdbcTemplate.batchUpdate("""
                INSERT INTO device_cursors (user_id, device_id, last_acked_seq)
                VALUES (?, ?, GREATEST(0, LEAST(?, COALESCE((SELECT head_seq FROM user_logs WHERE user_id = ?), 0))))
                ON CONFLICT (user_id, device_id)
                DO UPDATE SET last_acked_seq = GREATEST(device_cursors.last_acked_seq, EXCLUDED.last_acked_seq)
                """, rows, rows.size(), (ps, row) -> {
                    ps.setObject(1, row.getKey().userId());
                    ps.setObject(2, row.getKey().deviceId());
                    ps.setLong(3, row.getValue());
                    ps.setObject(4, row.getKey().userId());
                });
    }

    /** The device's acknowledged position; 0 for a device that never acknowledged. */
    @Transactional(readOnly = true)
    public long lastAckedSeq(UUID userId, UUID deviceId) {
        return jdbc.sql("SELECT last_acked_seq FROM device_cursors WHERE user_id = :u AND device_id = :d")
                .param("u", userId).param("d", deviceId).query(Long.class).optional().orElse(0L);
    }

    /**
     * What a {@code session_established} frame reports, for each of {@code devices} in its order, read
     * in one statement (one snapshot): zeros for a device the log has never seen, and as
     * {@code oldest_available_seq} the smallest stored {@code seq} or {@code head + 1} when nothing is
     * stored, as {@link LogPages.Page#oldestAvailableSeq} says.
     */
    @Transactional(readOnly = true)
    public List<DevicePosition> positions(List<Device> devices) {
        if (devices.isEmpty()) {
            return List.of();
        }
        List<Object[]> keys = devices.stream().distinct().map(d -> new Object[] {d.userId(), d.deviceId()}).toList();
        Map<Device, DevicePosition> found = new HashMap<>();
        jdbc.sql("""
                        SELECT d.user_id, d.device_id, COALESCE(p.last_device_seq, 0), COALESCE(c.last_acked_seq, 0),
                               COALESCE(l.head_seq, 0),
                               COALESCE((SELECT min(e.seq) FROM events e WHERE e.user_id = d.user_id), COALESCE(l.head_seq, 0) + 1)
                        FROM (VALUES :keys) AS d(user_id, device_id)
                        LEFT JOIN device_positions p ON p.user_id = d.user_id AND p.device_id = d.device_id
                        LEFT JOIN device_cursors c ON c.user_id = d.user_id AND c.device_id = d.device_id
                        LEFT JOIN user_logs l ON l.user_id = d.user_id""")
                .param("keys", keys)
                .query(rs -> {
                    found.put(new Device(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)),
                            new DevicePosition(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
                });
        return devices.stream().map(found::get).toList();
    }
}
