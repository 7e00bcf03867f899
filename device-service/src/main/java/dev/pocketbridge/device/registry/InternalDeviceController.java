package dev.pocketbridge.device.registry;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.DeviceLookups;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.web.ApiException;

/**
 * Internal API: device credentials for the gateway's handshake and every service's token check, and
 * the sign-out auth-service asks for when a used refresh token comes back.
 */
@RestController
class InternalDeviceController {

    private final Devices devices;
    private final DeviceLifecycle lifecycle;

    InternalDeviceController(Devices devices, DeviceLifecycle lifecycle) {
        this.devices = devices;
        this.lifecycle = lifecycle;
    }

    @GetMapping(InternalApi.DEVICE)
    DeviceCredentials device(@PathVariable String deviceId) {
        return devices.credentials(deviceId).orElseThrow(Devices::notFound);
    }

    @PostMapping(InternalApi.DEVICE_LOOKUPS)
    DeviceLookups.Answer lookups(@RequestBody DeviceLookups.Query query) {
        List<String> ids = query.deviceIds();
        if (ids == null || ids.isEmpty() || ids.size() > InternalApi.MAX_BATCH || ids.contains(null)) {
            throw ApiException.invalidRequest("device_ids must list 1 to " + InternalApi.MAX_BATCH + " device ids");
        }
        return new DeviceLookups.Answer(devices.credentials(ids));
    }

    @PostMapping(InternalApi.DEVICE_SIGN_OUT)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void signOut(@PathVariable String deviceId) {
        lifecycle.signOut(deviceId);
    }
}
