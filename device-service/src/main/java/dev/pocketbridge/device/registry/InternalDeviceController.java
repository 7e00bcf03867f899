package dev.pocketbridge.device.registry;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.InternalApi;

/** Internal API: device credentials for the gateway's handshake and auth-service's token flow. */
@RestController
class InternalDeviceController {

    private final Devices devices;

    InternalDeviceController(Devices devices) {
        this.devices = devices;
    }

    @GetMapping(InternalApi.DEVICE)
    DeviceCredentials device(@PathVariable String deviceId) {
        return devices.credentials(deviceId).orElseThrow(Devices::notFound);
    }
}
