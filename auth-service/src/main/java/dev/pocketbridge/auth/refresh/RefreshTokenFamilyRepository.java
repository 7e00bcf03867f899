package dev.pocketbridge.auth.refresh;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import jakarta.persistence.LockModeType;

interface RefreshTokenFamilyRepository extends JpaRepository<RefreshTokenFamily, UUID> {

    /** Locks the family: rotations and revocations of one family happen one at a time. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select f from RefreshTokenFamily f where f.id = :id")
    Optional<RefreshTokenFamily> lockById(@Param("id") UUID id);

    @Modifying
    @Query("update RefreshTokenFamily f set f.revokedAt = :now where f.deviceId = :deviceId and f.revokedAt is null")
    int revokeDevice(@Param("deviceId") UUID deviceId, @Param("now") Instant now);

    /** Deletes the families of these devices; their tokens go with them (on delete cascade). */
    @Modifying
    @Query(nativeQuery = true, value = "DELETE FROM refresh_token_families WHERE device_id IN (:deviceIds)")
    int deleteByDeviceIds(@Param("deviceIds") Collection<UUID> deviceIds);

    /** Deletes the user's families; their tokens go with them (on delete cascade). */
    @Modifying
    @Query(nativeQuery = true, value = "DELETE FROM refresh_token_families WHERE user_id = :userId")
    int deleteByUserId(@Param("userId") UUID userId);

    @Modifying
    @Query(nativeQuery = true, value = """
            DELETE FROM refresh_token_families
            WHERE id IN (SELECT f.id FROM refresh_token_families f
                         WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id) LIMIT :limit)""")
    int purgeEmpty(@Param("limit") int limit);
}
