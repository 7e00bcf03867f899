package dev.pocketbridge.auth.challenge;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.domain.Persistable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

/** A stored challenge; never serialized. Always new when saved (random id), hence {@link Persistable}. */
@Entity
@Table(name = "challenges")
class Challenge implements Persistable<String> {

    @Id
    private String challenge;
    @Column(nullable = false)
    private String purpose;
    @Column(name = "device_id")
    private UUID deviceId;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;
    @Transient
    private boolean isNew;

    protected Challenge() {
    }

    Challenge(String challenge, String purpose, UUID deviceId, Instant createdAt, Instant expiresAt) {
        this.challenge = challenge;
        this.purpose = purpose;
        this.deviceId = deviceId;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.isNew = true;
    }

    @Override
    public String getId() {
        return challenge;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    Instant expiresAt() {
        return expiresAt;
    }
}
