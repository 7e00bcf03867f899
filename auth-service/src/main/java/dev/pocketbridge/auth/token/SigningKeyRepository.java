package dev.pocketbridge.auth.token;

import java.time.Instant;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

interface SigningKeyRepository extends JpaRepository<SigningKeyRow, String> {

    @Query("select k from SigningKeyRow k where k.active = true")
    Optional<SigningKeyRow> findActive();

    /** Inserts the key as the active one unless another instance already did (then nothing happens). */
    @Modifying
    @Transactional
    @Query(nativeQuery = true, value = """
            INSERT INTO signing_keys (kid, algorithm, private_jwk, active, created_at)
            VALUES (:kid, :algorithm, :jwk, true, :now)
            ON CONFLICT DO NOTHING""")
    int insertActiveIfNone(@Param("kid") String kid, @Param("algorithm") String algorithm, @Param("jwk") String jwk,
            @Param("now") Instant now);
}
