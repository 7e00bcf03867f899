package dev.pocketbridge.device.registry;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.web.DeviceCaller;
import jakarta.validation.Valid;

/** The caller's user's devices and account (PROTOCOL §2.2): list, rename, remove, delete the account. */
@RestController
class DevicesController {

    private final Devices devices;
    private final DeviceLifecycle lifecycle;
    private final ActiveDevices activeDevices;

    DevicesController(Devices devices, DeviceLifecycle lifecycle, ActiveDevices activeDevices) {
        this.devices = devices;
        this.lifecycle = lifecycle;
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

    @DeleteMapping("/api/v1/devices/{deviceId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(@AuthenticationPrincipal Jwt jwt, @PathVariable String deviceId) {
        lifecycle.remove(caller(jwt), deviceId);
    }

    @DeleteMapping("/api/v1/user")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeletionStarted deleteUser(@AuthenticationPrincipal Jwt jwt) {
        lifecycle.deleteUser(caller(jwt));
        return DeletionStarted.INSTANCE;
    }

    /** {@code 202 {"status":"deletion_started"}}. */
    record DeletionStarted(String status) {
        static final DeletionStarted INSTANCE = new DeletionStarted("deletion_started");
    }

    private DeviceCaller caller(Jwt jwt) {
        DeviceCaller caller = DeviceCaller.of(jwt);
        activeDevices.require(caller);
        return caller;
    }
}
