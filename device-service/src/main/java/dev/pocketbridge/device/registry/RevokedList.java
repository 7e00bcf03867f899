package dev.pocketbridge.device.registry;

import java.util.List;

/** {@code GET /api/v1/admin/devices/revoked}: newest revocation first. */
record RevokedList(List<RevokedDevice> devices) {
}
