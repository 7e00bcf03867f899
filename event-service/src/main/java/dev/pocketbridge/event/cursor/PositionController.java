package dev.pocketbridge.event.cursor;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.web.RequestParameters;

/** Internal: a device's position for the gateway's {@code session_established}. */
@RestController
class PositionController {

    private final DeviceCursors cursors;

    PositionController(DeviceCursors cursors) {
        this.cursors = cursors;
    }

    @GetMapping(InternalApi.DEVICE_POSITION)
    DevicePosition position(@PathVariable String userId, @PathVariable String deviceId) {
        return cursors.position(RequestParameters.uuid("user_id", userId), RequestParameters.uuid("device_id", deviceId));
    }
}
