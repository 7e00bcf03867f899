package dev.pocketbridge.device.registry;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import jakarta.persistence.LockModeType;

interface UserRepository extends JpaRepository<UserAccount, UUID> {

    /**
     * {@code SELECT … FOR UPDATE}: every change to a user's set of devices holds this lock, so the
     * device limit and name uniqueness checks cannot interleave.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select u from UserAccount u where u.id = :id")
    Optional<UserAccount> lockById(@Param("id") UUID id);
}
