package dev.pocketbridge.auth.refresh;

import java.time.Instant;
import java.util.UUID;

import dev.pocketbridge.jpa.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One refresh token, known only by its hash. {@code usedAt} is set when it is rotated. */
@Entity
@Table(name = "refresh_tokens")
class RefreshToken extends AssignedIdEntity<String> {

    @Id
    @Column(name = "token_hash")
    private String tokenHash;
    @Column(name = "family_id", nullable = false)
    private UUID familyId;
    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;
    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;
    @Column(name = "used_at")
    private Instant usedAt;

    protected RefreshToken() {
    }

    RefreshToken(String tokenHash, UUID familyId, Instant issuedAt, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.familyId = familyId;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    @Override
    public String getId() {
        return tokenHash;
    }

    boolean used() {
        return usedAt != null;
    }

    boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    void markUsed(Instant now) {
        usedAt = now;
    }
}
