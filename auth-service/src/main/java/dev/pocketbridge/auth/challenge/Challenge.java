package dev.pocketbridge.auth.challenge;

import java.time.Instant;
import java.util.UUID;

import dev.pocketbridge.jpa.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A stored challenge; never serialized. Always new when saved (random id), hence {@link AssignedIdEntity}. */
@Entity
@Table(name = "challenges")
class Challenge extends AssignedIdEntity<String> {

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

    protected Challenge() {
    }

    Challenge(String challenge, String purpose, UUID deviceId, Instant createdAt, Instant expiresAt) {
        this.challenge = challenge;
        this.purpose = purpose;
        this.deviceId = deviceId;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    @Override
    public String getId() {
        return challenge;
    }

    Instant expiresAt() {
        return expiresAt;
    }
}
