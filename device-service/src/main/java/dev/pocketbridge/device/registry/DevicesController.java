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

import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.device.DeviceProblemCodes;
import dev.pocketbridge.web.DeviceCaller;
import dev.pocketbridge.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** The caller's user's devices and account (PROTOCOL §2.2): list, rename, remove, delete the account. */
@RestController
@Tag(name = "Devices")
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
    @Operation(operationId = "listDevices", summary = "The active devices of the caller's user",
            description = "`message` explains an empty list.")
    DeviceList list(@AuthenticationPrincipal Jwt jwt) {
        return devices.list(caller(jwt));
    }

    @PatchMapping("/api/v1/devices/{device_id}")
    @Operation(operationId = "renameDevice", summary = "Rename a device of the caller's user",
            description = "The same name rules as at registration.")
    @ProblemResponse(status = 400, codes = DeviceProblemCodes.INVALID_DEVICE_NAME)
    @ProblemResponse(status = 404, codes = ProblemCodes.NOT_FOUND)
    @ProblemResponse(status = 409, codes = DeviceProblemCodes.DEVICE_NAME_TAKEN)
    DeviceView rename(@AuthenticationPrincipal Jwt jwt, @PathVariable("device_id") String deviceId,
            @Valid @RequestBody RenameRequest request) {
        return devices.rename(caller(jwt), deviceId, request.deviceName());
    }

    @DeleteMapping("/api/v1/devices/{device_id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "removeDevice", summary = "Remove a device of the caller's user",
            description = "The device's sessions close and its tokens stop working.")
    @ProblemResponse(status = 404, codes = ProblemCodes.NOT_FOUND)
    void remove(@AuthenticationPrincipal Jwt jwt, @PathVariable("device_id") String deviceId) {
        lifecycle.remove(caller(jwt), deviceId);
    }

    @DeleteMapping("/api/v1/user")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "deleteUser", summary = "Delete the caller's user and everything about it",
            description = "From the answer on no token or handshake of the user works; within 60 s every row about the "
                    + "user is gone.")
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
