package dev.pocketbridge.device.registry;

import java.time.Instant;
import java.util.UUID;

import dev.pocketbridge.jpa.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user: the owner of devices. Its row is also the lock that serialises changes to its devices. */
@Entity
@Table(name = "users")
class UserAccount extends AssignedIdEntity<UUID> {

    @Id
    private UUID id;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    /** Written by {@link UserActivity} only (at most once a minute), never through this entity. */
    @Column(name = "last_activity_at", insertable = false, updatable = false)
    private Instant lastActivityAt;

    protected UserAccount() {
    }

    UserAccount(UUID id, Instant createdAt) {
        this.id = id;
        this.createdAt = createdAt;
    }

    @Override
    public UUID getId() {
        return id;
    }

    Instant lastActivityAt() {
        return lastActivityAt;
    }
}
