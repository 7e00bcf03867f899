package dev.pocketbridge.device.registry;

/** {@code 201} answer of a registration: the (possibly new) user and the new device. */
record RegistrationResponse(String userId, String deviceId) {
}
