package dev.pocketbridge.common.internal;

import java.time.Instant;

/**
 * What the gateway needs to authenticate a device's handshake, and what every service checks an
 * access token's device against: {@code active} is false once revoked; a removed device, or one of
 * a deleted user, is not found at all. {@code tokensNotBefore} (epoch milliseconds, or null): access
 * tokens issued before it no longer count. {@code deviceType} ({@code mobile}, {@code desktop},
 * {@code web}; null from an older device-service): the gateway passes it on with the device's events.
 */
public record DeviceCredentials(String deviceId, String userId, String publicKey, boolean active,
        Long tokensNotBefore, String deviceType) {

    public DeviceCredentials(String deviceId, String userId, String publicKey, boolean active) {
        this(deviceId, userId, publicKey, active, null);
    }

    public DeviceCredentials(String deviceId, String userId, String publicKey, boolean active, Long tokensNotBefore) {
        this(deviceId, userId, publicKey, active, tokensNotBefore, null);
    }

    /**
     * Whether an access token of this device for {@code userId}, issued at {@code issuedAt}, still
     * counts: the one rule every resource server applies.
     */
    public boolean admits(String userId, Instant issuedAt) {
        return active && this.userId.equals(userId)
                && (tokensNotBefore == null || (issuedAt != null && issuedAt.toEpochMilli() >= tokensNotBefore));
    }
}
