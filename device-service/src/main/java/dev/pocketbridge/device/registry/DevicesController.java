package dev.pocketbridge.device.registry;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.device.Caller;
import jakarta.validation.Valid;

/** The caller's user's devices (PROTOCOL §2.2): list and rename. */
@RestController
class DevicesController {

    private final Devices devices;
    private final ActiveDevices activeDevices;

    DevicesController(Devices devices, ActiveDevices activeDevices) {
        this.devices = devices;
        this.activeDevices = activeDevices;
    }

    @GetMapping("/api/v1/devices")
    DeviceList list(@AuthenticationPrincipal Jwt jwt) {
        return devices.list(caller(jwt));
    }

    @PatchMapping("/api/v1/devices/{deviceId}")
    DeviceView rename(@AuthenticationPrincipal Jwt jwt, @PathVariable String deviceId,
            @Valid @RequestBody RenameRequest request) {
        return devices.rename(caller(jwt), deviceId, request.deviceName());
    }

    private Caller caller(Jwt jwt) {
        Caller caller = Caller.of(jwt);
        activeDevices.require(caller);
        return caller;
    }
}
