package dev.pocketbridge.device.pairing;

import java.time.Instant;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Consumption is one conditional {@code DELETE}: of two concurrent lookups the second waits on the
 * row lock, then finds the row gone and deletes nothing, so exactly one of them wins.
 */
interface PairingCodeRepository extends JpaRepository<PairingCode, String> {

    @Modifying
    @Query(nativeQuery = true, value = "DELETE FROM pairing_codes WHERE code_hash = :hash AND expires_at > :now")
    int consume(@Param("hash") String hash, @Param("now") Instant now);

    /** Deletes at most {@code limit} expired rows, in a transaction of its own. */
    @Modifying
    @Transactional
    @Query(nativeQuery = true, value = """
            DELETE FROM pairing_codes
            WHERE code_hash IN (SELECT code_hash FROM pairing_codes WHERE expires_at <= :now LIMIT :limit)""")
    int purgeExpired(@Param("now") Instant now, @Param("limit") int limit);
}
