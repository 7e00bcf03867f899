package dev.pocketbridge.device.registry;

import jakarta.validation.constraints.NotNull;

/** {@code PATCH /api/v1/devices/{device_id}}: the new name, normalised like at registration. */
record RenameRequest(@NotNull String deviceName) {
}
