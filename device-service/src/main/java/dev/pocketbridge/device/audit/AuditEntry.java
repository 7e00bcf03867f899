package dev.pocketbridge.device.audit;

/** One audit-log entry as {@code GET /api/v1/admin/audit} shows it; {@code at} in epoch milliseconds. */
record AuditEntry(long id, long at, String actor, String action, String userId, String deviceId,
        String requestId, String reason) {
}
