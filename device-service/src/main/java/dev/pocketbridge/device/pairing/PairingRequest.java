package dev.pocketbridge.device.pairing;

import jakarta.validation.constraints.NotNull;

/** {@code POST /api/v1/pairing}: the payload the new device will receive, end-to-end encrypted, opaque here. */
record PairingRequest(@NotNull String encryptedPayload) {
}
