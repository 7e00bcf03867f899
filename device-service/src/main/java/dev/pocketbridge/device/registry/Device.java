package dev.pocketbridge.device.registry;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.pocketbridge.jpa.AssignedIdEntity;

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

    void rename(String normalizedName) {
        this.deviceName = normalizedName;
        this.nameKey = DeviceNames.key(normalizedName);
    }
}
