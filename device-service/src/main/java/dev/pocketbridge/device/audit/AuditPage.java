package dev.pocketbridge.device.audit;

import java.util.List;

/** {@code GET /api/v1/admin/audit}: newest first; {@code next_before} fetches the next page, absent on the last. */
record AuditPage(List<AuditEntry> entries, Long nextBefore) {
}
