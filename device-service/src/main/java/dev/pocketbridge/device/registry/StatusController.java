package dev.pocketbridge.device.registry;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.web.DeviceCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code GET /api/v1/status} (PROTOCOL §2.2). */
@RestController
@Tag(name = "Devices")
class StatusController {

    private final Devices devices;
    private final ActiveDevices activeDevices;

    StatusController(Devices devices, ActiveDevices activeDevices) {
        this.devices = devices;
        this.activeDevices = activeDevices;
    }

    @GetMapping("/api/v1/status")
    @Operation(operationId = "status", summary = "The caller, its user's devices and the server's time")
    Status status(@AuthenticationPrincipal Jwt jwt) {
        DeviceCaller caller = DeviceCaller.of(jwt);
        activeDevices.require(caller);
        return devices.status(caller);
    }
}
