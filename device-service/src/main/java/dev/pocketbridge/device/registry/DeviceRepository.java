package dev.pocketbridge.device.registry;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface DeviceRepository extends JpaRepository<Device, UUID> {

    @Query("select count(d) from Device d where d.userId = :userId and d.revokedAt is null")
    long countActive(@Param("userId") UUID userId);

    boolean existsByUserIdAndNameKey(UUID userId, String nameKey);

    boolean existsByPublicKey(String publicKey);

    Optional<Device> findByIdAndUserId(UUID id, UUID userId);

    List<Device> findByUserId(UUID userId);

    @Query("select d.userId from Device d where d.id = :id")
    Optional<UUID> findUserIdById(@Param("id") UUID id);

    @Query("select d from Device d where d.revokedAt is not null order by d.revokedAt desc, d.id")
    List<Device> findRevoked(Limit limit);

    @Query("select d from Device d where d.userId = :userId and d.revokedAt is null order by d.createdAt, d.id")
    List<Device> findActiveByUser(@Param("userId") UUID userId);
}
