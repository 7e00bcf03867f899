package dev.pocketbridge.device.pairing;

import java.time.Instant;
import java.util.UUID;

import dev.pocketbridge.jpa.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An unused pairing token, known only by its hash; never serialized. */
@Entity
@Table(name = "pairing_tokens")
class PairingToken extends AssignedIdEntity<String> {

    @Id
    @Column(name = "token_hash")
    private String tokenHash;
    @Column(name = "user_id", nullable = false)
    private UUID userId;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected PairingToken() {
    }

    PairingToken(String tokenHash, UUID userId, Instant createdAt, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.userId = userId;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    @Override
    public String getId() {
        return tokenHash;
    }

    UUID userId() {
        return userId;
    }
}
