package dev.pocketbridge.device.pairing;

import java.time.Instant;
import java.util.UUID;

import dev.pocketbridge.jpa.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An open pairing code, known only by its hash; never serialized. */
@Entity
@Table(name = "pairing_codes")
class PairingCode extends AssignedIdEntity<String> {

    @Id
    @Column(name = "code_hash")
    private String codeHash;
    @Column(name = "user_id", nullable = false)
    private UUID userId;
    @Column(name = "encrypted_payload", nullable = false)
    private String encryptedPayload;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;
    /** The device that made it: removing that device deletes its codes (foreign key, on delete cascade). */
    @Column(name = "created_by")
    private UUID createdBy;

    protected PairingCode() {
    }

    PairingCode(String codeHash, UUID userId, UUID createdBy, String encryptedPayload, Instant createdAt,
            Instant expiresAt) {
        this.codeHash = codeHash;
        this.userId = userId;
        this.createdBy = createdBy;
        this.encryptedPayload = encryptedPayload;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    @Override
    public String getId() {
        return codeHash;
    }

    UUID userId() {
        return userId;
    }

    String encryptedPayload() {
        return encryptedPayload;
    }

    Instant expiresAt() {
        return expiresAt;
    }
}
