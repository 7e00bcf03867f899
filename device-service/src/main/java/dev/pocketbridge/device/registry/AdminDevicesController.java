package dev.pocketbridge.device.registry;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.device.Admin;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** Revocation for admins (PROTOCOL §2.3); every action is audited. */
@RestController
@Tag(name = "Admin")
class AdminDevicesController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final DeviceLifecycle lifecycle;

    AdminDevicesController(DeviceLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @PostMapping("/api/v1/admin/devices/{device_id}/revoke")
    @Operation(operationId = "revokeDevice", summary = "Revoke a device",
            description = "Its sessions close within 1 s; its tokens and handshakes fail. Audited with the reason.")
    @ProblemResponse(status = 404, codes = ProblemCodes.NOT_FOUND)
    RevokedDevice revoke(@AuthenticationPrincipal Jwt jwt, @PathVariable("device_id") String deviceId,
            @Valid @RequestBody RevokeRequest request) {
        return lifecycle.revoke(Admin.of(jwt), deviceId, request.reason().strip());
    }

    @PostMapping("/api/v1/admin/devices/{device_id}/unrevoke")
    @Operation(operationId = "unrevokeDevice", summary = "Undo a revocation",
            description = "The device signs in again with a challenge: tokens issued before the revocation stay invalid.")
    @ProblemResponse(status = 404, codes = ProblemCodes.NOT_FOUND)
    DeviceState unrevoke(@AuthenticationPrincipal Jwt jwt, @PathVariable("device_id") String deviceId) {
        return lifecycle.unrevoke(Admin.of(jwt), deviceId);
    }

    @GetMapping("/api/v1/admin/devices/revoked")
    @Operation(operationId = "revokedDevices", summary = "The revoked devices, newest revocation first")
    RevokedList revoked(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) Integer limit) {
        Admin.of(jwt);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiException.invalidRequest("limit must be 1.." + MAX_LIMIT);
        }
        return new RevokedList(lifecycle.revoked(size));
    }
}
