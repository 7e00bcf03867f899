package dev.pocketbridge.device.registry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.jpa.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A registered device; never serialized. Active until revoked. */
@Entity
@Table(name = "devices")
class Device extends AssignedIdEntity<UUID> {

    @Id
    private UUID id;
    @Column(name = "user_id", nullable = false)
    private UUID userId;
    @Column(name = "public_key", nullable = false)
    private String publicKey;
    @Column(name = "device_name", nullable = false)
    private String deviceName;
    @Column(name = "name_key", nullable = false)
    private String nameKey;
    @Column(name = "device_type", nullable = false)
    private String deviceType;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;
    @Column(name = "revoke_reason")
    private String revokeReason;
    @Column(name = "tokens_not_before")
    private Instant tokensNotBefore;
    @Column(name = "last_seen_at")
    private Instant lastSeenAt;

    protected Device() {
    }

    Device(UUID id, UUID userId, String publicKey, String deviceName, String deviceType, Instant createdAt) {
        this.id = id;
        this.userId = userId;
        this.publicKey = publicKey;
        this.deviceName = deviceName;
        this.nameKey = DeviceNames.key(deviceName);
        this.deviceType = deviceType;
        this.createdAt = createdAt;
    }

    @Override
    public UUID getId() {
        return id;
    }

    UUID userId() {
        return userId;
    }

    String publicKey() {
        return publicKey;
    }

    String deviceName() {
        return deviceName;
    }

    String nameKey() {
        return nameKey;
    }

    String deviceType() {
        return deviceType;
    }

    Instant createdAt() {
        return createdAt;
    }

    boolean active() {
        return revokedAt == null;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    String revokeReason() {
        return revokeReason;
    }

    Instant lastSeenAt() {
        return lastSeenAt;
    }

    /** What the handshake and every token check go by ({@link DeviceCredentials#admits}). */
    DeviceCredentials credentials() {
        return new DeviceCredentials(id.toString(), userId.toString(), publicKey, active(),
                tokensNotBefore == null ? null : tokensNotBefore.toEpochMilli(), deviceType);
    }

    /**
     * Access tokens issued before {@code now}'s second no longer count. Token times ({@code iat}) are
     * whole seconds, so the cut is too: a token issued later in the same second still counts, which
     * keeps a login right after the sign-out working.
     */
    void signOut(Instant now) {
        Instant cut = now.truncatedTo(ChronoUnit.SECONDS);
        if (tokensNotBefore == null || cut.isAfter(tokensNotBefore)) {
            tokensNotBefore = cut;
        }
    }

    /** Revoked (and every token issued so far cut off), unless it already was; true when this changed it. */
    boolean revoke(String reason, Instant now) {
        if (!active()) {
            return false;
        }
        revokedAt = now;
        revokeReason = reason;
        signOut(now);
        return true;
    }

    /** Active again, unless it was; its tokens from before the revocation stay cut off. True when this changed it. */
    boolean unrevoke() {
        if (active()) {
            return false;
        }
        revokedAt = null;
        revokeReason = null;
        return true;
    }

    void rename(String normalizedName) {
        this.deviceName = normalizedName;
        this.nameKey = DeviceNames.key(normalizedName);
    }
}
