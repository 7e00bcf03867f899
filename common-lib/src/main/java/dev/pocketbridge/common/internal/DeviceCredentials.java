package dev.pocketbridge.common.internal;

/** What the gateway needs to authenticate a device's handshake; {@code active} is false once revoked or deleted. */
public record DeviceCredentials(String deviceId, String userId, String publicKey, boolean active) {
}
