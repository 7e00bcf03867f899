package dev.pocketbridge.device.registry;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.device.Admin;
import dev.pocketbridge.web.ApiException;
import jakarta.validation.Valid;

/** Revocation for admins (PROTOCOL §2.3); every action is audited. */
@RestController
class AdminDevicesController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final DeviceLifecycle lifecycle;

    AdminDevicesController(DeviceLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @PostMapping("/api/v1/admin/devices/{deviceId}/revoke")
    RevokedDevice revoke(@AuthenticationPrincipal Jwt jwt, @PathVariable String deviceId,
            @Valid @RequestBody RevokeRequest request) {
        return lifecycle.revoke(Admin.of(jwt), deviceId, request.reason().strip());
    }

    @PostMapping("/api/v1/admin/devices/{deviceId}/unrevoke")
    DeviceState unrevoke(@AuthenticationPrincipal Jwt jwt, @PathVariable String deviceId) {
        return lifecycle.unrevoke(Admin.of(jwt), deviceId);
    }

    @GetMapping("/api/v1/admin/devices/revoked")
    RevokedList revoked(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) Integer limit) {
        Admin.of(jwt);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiException.invalidRequest("limit must be 1.." + MAX_LIMIT);
        }
        return new RevokedList(lifecycle.revoked(size));
    }
}
