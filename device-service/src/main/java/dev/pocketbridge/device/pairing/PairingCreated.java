package dev.pocketbridge.device.pairing;

/** {@code 201} answer: the code as shown to people ({@code XXXX-XXXX}) and when it stops working. */
record PairingCreated(String code, long expiresAt) {
}
