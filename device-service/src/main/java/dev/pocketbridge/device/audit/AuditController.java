package dev.pocketbridge.device.audit;

import java.util.List;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.device.Admin;
import dev.pocketbridge.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code GET /api/v1/admin/audit?limit&before}: the audit log for admins, newest first. */
@RestController
@Tag(name = "Admin")
class AuditController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/api/v1/admin/audit")
    @Operation(operationId = "auditLog", summary = "The audit log, newest first",
            description = "`limit` 1–500 (default 50); `next_before` fetches the next page and is absent on the last.")
    AuditPage audit(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) Long before) {
        Admin.of(jwt);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT || (before != null && before < 1)) {
            throw ApiException.invalidRequest("limit must be 1.." + MAX_LIMIT + " and before a positive entry id");
        }
        List<AuditEntry> entries = audit.page(before, size);
        Long next = entries.size() == size ? entries.getLast().id() : null;
        return new AuditPage(entries, next);
    }
}
