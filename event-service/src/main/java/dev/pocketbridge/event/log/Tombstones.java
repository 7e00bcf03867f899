package dev.pocketbridge.event.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The tombstones of erased users and removed devices, and the locks that make them count: what
 * keeps events and acks still on their way through {@code events.inbound} and {@code acks} from
 * writing an erased user's (or a removed device's) rows again. A tombstone holds the SHA-256 of
 * the id ({@link #hash}), never the id, and lives {@code tombstone-retention}.
 *
 * <p>The protocol, one rule per writer:
 * <ul>
 * <li><b>appends</b> (the {@code events.inbound} batch) lock the users' head rows ({@code user_logs}),
 * then read the tombstones ({@link #gone}), so they see every erasure committed before they hold the
 * lock;</li>
 * <li><b>acks</b> take a shared advisory lock per user ({@link #shareUsers}), then read the
 * tombstones: acks never wait on appends nor on each other;</li>
 * <li><b>an erasure</b> takes the user's exclusive advisory lock and head-row lock ({@link #lockUser})
 * in the transaction that writes the tombstone, so it waits for the appends and acks in flight and
 * every later one sees the tombstone; it deletes the user's rows only after that commit.</li>
 * </ul>
 * Every method here runs in its caller's transaction.
 */
@Component
public class Tombstones {

    /**
     * First key of this service's advisory locks ("ERAS"): the two-key form never meets a one-key
     * advisory lock (Flyway's), and two users sharing a second key only wait for each other.
     */
    public static final int LOCK_SPACE = 0x45524153;

    private final JdbcClient jdbc;

    Tombstones(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What a tombstone keeps of an id: SHA-256 of its lowercase canonical text in UTF-8. */
    public static byte[] hash(UUID id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Of some users and devices, those erased or removed. */
    public record Gone(Set<UUID> users, Set<UUID> devices) {

        public static final Gone NONE = new Gone(Set.of(), Set.of());

        /** Whether a record of this user and device must be dropped. */
        public boolean contains(UUID userId, UUID deviceId) {
            return users.contains(userId) || devices.contains(deviceId);
        }
    }

    /** Of these users and devices, those with a tombstone; one query. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Gone gone(Collection<UUID> users, Collection<UUID> devices) {
        if (users.isEmpty() && devices.isEmpty()) {
            return Gone.NONE;
        }
        Map<ByteBuffer, UUID> userHashes = byHash(users);
        Map<ByteBuffer, UUID> deviceHashes = byHash(devices);
        Set<UUID> goneUsers = new HashSet<>();
        Set<UUID> goneDevices = new HashSet<>();
        // An empty IN list is no SQL: a side without ids looks for a hash no id has (32 zero bytes).
        jdbc.sql("""
                        SELECT true, user_hash FROM erased_users WHERE user_hash IN (:users)
                        UNION ALL
                        SELECT false, device_hash FROM removed_devices WHERE device_hash IN (:devices)""")
                .param("users", hashes(userHashes))
                .param("devices", hashes(deviceHashes))
                .query((rs, n) -> {
                    ByteBuffer hash = ByteBuffer.wrap(rs.getBytes(2));
                    return rs.getBoolean(1) ? goneUsers.add(userHashes.get(hash))
                            : goneDevices.add(deviceHashes.get(hash));
                }).list();
        return goneUsers.isEmpty() && goneDevices.isEmpty() ? Gone.NONE : new Gone(goneUsers, goneDevices);
    }

    /**
     * Takes a shared lock of each user until the transaction ends, in key order (so two of them and
     * an erasure cannot wait on each other in a cycle): an erasure of one of these users waits for
     * this transaction, and this one waits for an erasure that holds the user's lock. Shared locks
     * never wait on each other.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void shareUsers(Collection<UUID> users) {
        List<Object[]> keys = users.stream().map(Tombstones::lockKey).distinct().sorted()
                .map(k -> new Object[] {k}).toList();
        if (keys.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        SELECT count(*) FROM (SELECT k FROM (VALUES :keys) AS v(k) ORDER BY k) AS s,
                            LATERAL pg_advisory_xact_lock_shared(:space, s.k)""")
                .param("keys", keys).param("space", LOCK_SPACE)
                .query(Long.class).single();
    }

    /**
     * Locks the user against appends and acks until the transaction ends: the exclusive advisory
     * lock (acks hold it shared) and the head row (appends hold it), made if missing so that an
     * append creating it right now is waited for too. Called by every transaction that writes a
     * tombstone, and by the last one of an erasure.
     *
     * @return whether the head row was made here (the user had none)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean lockUser(UUID userId) {
        jdbc.sql("SELECT true FROM pg_advisory_xact_lock(:space, :key)")
                .param("space", LOCK_SPACE).param("key", lockKey(userId)).query(Boolean.class).single();
        int made = jdbc.sql("INSERT INTO user_logs (user_id, head_seq) VALUES (:u, 0) ON CONFLICT (user_id) DO NOTHING")
                .param("u", userId).update();
        jdbc.sql("SELECT head_seq FROM user_logs WHERE user_id = :u FOR UPDATE")
                .param("u", userId).query(Long.class).single();
        return made == 1;
    }

    /** The user's tombstone, made or renewed ({@code at} counts from the latest erasure). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordErasedUser(UUID userId, Instant at) {
        jdbc.sql("""
                        INSERT INTO erased_users (user_hash, erased_at) VALUES (:h, :at) ON CONFLICT (user_hash)
                        DO UPDATE SET erased_at = GREATEST(erased_users.erased_at, EXCLUDED.erased_at)""")
                .param("h", hash(userId)).param("at", utc(at)).update();
    }

    /** The device's tombstone, made or renewed. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordRemovedDevice(UUID deviceId, Instant at) {
        jdbc.sql("""
                        INSERT INTO removed_devices (device_hash, removed_at) VALUES (:h, :at) ON CONFLICT (device_hash)
                        DO UPDATE SET removed_at = GREATEST(removed_devices.removed_at, EXCLUDED.removed_at)""")
                .param("h", hash(deviceId)).param("at", utc(at)).update();
    }

    /** Deletes at most {@code limit} tombstones of each kind made before {@code cutoff}; @return how many */
    @Transactional
    public int purgeBefore(Instant cutoff, int limit) {
        int users = jdbc.sql("""
                        DELETE FROM erased_users WHERE user_hash IN (
                            SELECT user_hash FROM erased_users WHERE erased_at < :cutoff LIMIT :limit)""")
                .param("cutoff", utc(cutoff)).param("limit", limit).update();
        int devices = jdbc.sql("""
                        DELETE FROM removed_devices WHERE device_hash IN (
                            SELECT device_hash FROM removed_devices WHERE removed_at < :cutoff LIMIT :limit)""")
                .param("cutoff", utc(cutoff)).param("limit", limit).update();
        return users + devices;
    }

    /** The second key of a user's advisory lock: the UUID folded to 32 bits. */
    public static int lockKey(UUID userId) {
        long bits = userId.getMostSignificantBits() ^ userId.getLeastSignificantBits();
        return (int) (bits ^ (bits >>> 32));
    }

    private static Map<ByteBuffer, UUID> byHash(Collection<UUID> ids) {
        Map<ByteBuffer, UUID> byHash = new HashMap<>();
        for (UUID id : ids) {
            byHash.put(ByteBuffer.wrap(hash(id)), id);
        }
        return byHash;
    }

    private static List<byte[]> hashes(Map<ByteBuffer, UUID> byHash) {
        return byHash.isEmpty() ? List.of(new byte[32]) : byHash.keySet().stream().map(ByteBuffer::array).toList();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
