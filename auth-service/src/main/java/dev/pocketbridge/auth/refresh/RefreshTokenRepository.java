package dev.pocketbridge.auth.refresh;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface RefreshTokenRepository extends JpaRepository<RefreshToken, String> {

    @Query("select t.familyId from RefreshToken t where t.tokenHash = :hash")
    Optional<UUID> familyOf(@Param("hash") String hash);

    @Modifying
    @Query(nativeQuery = true, value = """
            DELETE FROM refresh_tokens
            WHERE token_hash IN (SELECT token_hash FROM refresh_tokens WHERE expires_at <= :now LIMIT :limit)""")
    int purgeExpired(@Param("now") Instant now, @Param("limit") int limit);
}
