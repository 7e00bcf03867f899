package dev.pocketbridge.device.pairing;

/** Answer of a code lookup; {@code expires_at} is when the pairing token stops working. */
record PairingRedeemed(String userId, String encryptedPayload, String pairingToken, long expiresAt) {
}
