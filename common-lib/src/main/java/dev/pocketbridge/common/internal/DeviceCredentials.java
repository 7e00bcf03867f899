package dev.pocketbridge.common.internal;

import java.time.Instant;

/**
 * What the gateway needs to authenticate a device's handshake, and what every service checks an
 * access token's device against: {@code active} is false once revoked; a removed device, or one of
 * a deleted user, is not found at all. {@code tokensNotBefore} (epoch milliseconds, or null): access
 * tokens issued before it no longer count.
 */
public record DeviceCredentials(String deviceId, String userId, String publicKey, boolean active,
        Long tokensNotBefore) {

    public DeviceCredentials(String deviceId, String userId, String publicKey, boolean active) {
        this(deviceId, userId, publicKey, active, null);
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
