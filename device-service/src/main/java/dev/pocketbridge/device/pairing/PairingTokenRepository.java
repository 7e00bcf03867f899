package dev.pocketbridge.device.pairing;

import java.time.Instant;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Consumption is one conditional {@code DELETE}, as for pairing codes: one concurrent consumer wins. */
interface PairingTokenRepository extends JpaRepository<PairingToken, String> {

    @Modifying
    @Query(nativeQuery = true, value = "DELETE FROM pairing_tokens WHERE token_hash = :hash AND expires_at > :now")
    int consume(@Param("hash") String hash, @Param("now") Instant now);

    @Modifying
    @Query(nativeQuery = true, value = "DELETE FROM pairing_tokens WHERE expires_at <= :now")
    int purgeExpired(@Param("now") Instant now);
}
