package dev.pocketbridge.auth.refresh;

import java.time.Instant;
import java.util.UUID;

import dev.pocketbridge.jpa.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The refresh tokens of one device login; revoking it ends every token in it. */
@Entity
@Table(name = "refresh_token_families")
class RefreshTokenFamily extends AssignedIdEntity<UUID> {

    @Id
    private UUID id;
    @Column(name = "device_id", nullable = false)
    private UUID deviceId;
    @Column(name = "user_id", nullable = false)
    private UUID userId;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected RefreshTokenFamily() {
    }

    RefreshTokenFamily(UUID id, UUID deviceId, UUID userId, Instant createdAt) {
        this.id = id;
        this.deviceId = deviceId;
        this.userId = userId;
        this.createdAt = createdAt;
    }

    @Override
    public UUID getId() {
        return id;
    }

    UUID deviceId() {
        return deviceId;
    }

    UUID userId() {
        return userId;
    }

    Instant createdAt() {
        return createdAt;
    }

    boolean revoked() {
        return revokedAt != null;
    }
}
