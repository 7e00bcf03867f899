package dev.pocketbridge.event.cursor;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ApiException;

/** Internal: a device's position for the gateway's {@code session_established}. */
@RestController
class PositionController {

    private final DeviceCursors cursors;

    PositionController(DeviceCursors cursors) {
        this.cursors = cursors;
    }

    @GetMapping(InternalApi.DEVICE_POSITION)
    DevicePosition position(@PathVariable String userId, @PathVariable String deviceId) {
        return cursors.position(uuid("user_id", userId), uuid("device_id", deviceId));
    }

    static UUID uuid(String name, String text) {
        return Uuids.parse(text).orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST,
                ProblemCodes.INVALID_REQUEST, name + " must be a lowercase canonical UUID"));
    }
}
