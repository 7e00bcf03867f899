package dev.pocketbridge.device.registry;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.domain.Persistable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

/** A user: the owner of devices. Its row is also the lock that serialises changes to its devices. */
@Entity
@Table(name = "users")
class UserAccount implements Persistable<UUID> {

    @Id
    private UUID id;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Transient
    private boolean isNew;

    protected UserAccount() {
    }

    UserAccount(UUID id, Instant createdAt) {
        this.id = id;
        this.createdAt = createdAt;
        this.isNew = true;
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void stored() {
        isNew = false;
    }
}
