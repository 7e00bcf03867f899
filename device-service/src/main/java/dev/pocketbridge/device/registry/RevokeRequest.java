package dev.pocketbridge.device.registry;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/admin/devices/{id}/revoke}: why (kept in the audit log and the revoked list). */
record RevokeRequest(@NotBlank @Size(max = 500) String reason) {
}
