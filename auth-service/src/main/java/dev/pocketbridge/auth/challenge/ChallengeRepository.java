package dev.pocketbridge.auth.challenge;

import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Consumption is a single conditional {@code DELETE}: of two concurrent consumers the second
 * waits on the row lock, then finds the row gone and deletes nothing.
 */
interface ChallengeRepository extends JpaRepository<Challenge, String> {

    @Modifying
    @Transactional
    @Query(nativeQuery = true, value = """
            DELETE FROM challenges
            WHERE challenge = :challenge AND purpose = 'token' AND device_id = :deviceId AND expires_at > :now""")
    int consumeToken(@Param("challenge") String challenge, @Param("deviceId") UUID deviceId,
            @Param("now") Instant now);

    @Modifying
    @Transactional
    @Query(nativeQuery = true, value = """
            DELETE FROM challenges
            WHERE challenge = :challenge AND purpose = 'register' AND device_id IS NULL AND expires_at > :now""")
    int consumeRegister(@Param("challenge") String challenge, @Param("now") Instant now);

    @Modifying
    @Transactional
    @Query(nativeQuery = true, value = """
            DELETE FROM challenges
            WHERE challenge IN (SELECT challenge FROM challenges WHERE expires_at <= :now LIMIT :limit)""")
    int purgeExpired(@Param("now") Instant now, @Param("limit") int limit);

    @Modifying
    @Transactional
    @Query(nativeQuery = true, value = "DELETE FROM challenges WHERE device_id IN (:deviceIds)")
    int deleteByDeviceIds(@Param("deviceIds") Collection<UUID> deviceIds);
}
