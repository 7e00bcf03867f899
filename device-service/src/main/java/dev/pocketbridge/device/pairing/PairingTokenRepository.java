package dev.pocketbridge.device.pairing;

import java.time.Instant;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Consumption is one conditional {@code DELETE}, as for pairing codes: one concurrent consumer wins. */
interface PairingTokenRepository extends JpaRepository<PairingToken, String> {

    @Modifying
    @Query(nativeQuery = true, value = "DELETE FROM pairing_tokens WHERE token_hash = :hash AND expires_at > :now")
    int consume(@Param("hash") String hash, @Param("now") Instant now);

    /** Deletes at most {@code limit} expired rows, in a transaction of its own. */
    @Modifying
    @Transactional
    @Query(nativeQuery = true, value = """
            DELETE FROM pairing_tokens
            WHERE token_hash IN (SELECT token_hash FROM pairing_tokens WHERE expires_at <= :now LIMIT :limit)""")
    int purgeExpired(@Param("now") Instant now, @Param("limit") int limit);
}
