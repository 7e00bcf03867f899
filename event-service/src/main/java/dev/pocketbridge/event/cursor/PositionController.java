package dev.pocketbridge.event.cursor;

import java.util.List;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.internal.DevicePositions;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.RequestParameters;

/** Internal: the positions of devices for the gateway's {@code session_established}, a batch at a time. */
@RestController
class PositionController {

    private final DeviceCursors cursors;

    PositionController(DeviceCursors cursors) {
        this.cursors = cursors;
    }

    @PostMapping(InternalApi.DEVICE_POSITIONS)
    DevicePositions.Answer positions(@RequestBody DevicePositions.Query query) {
        List<DevicePositions.UserDevice> asked = query.devices();
        if (asked == null || asked.isEmpty() || asked.size() > InternalApi.MAX_BATCH) {
            throw ApiException.invalidRequest("devices must list 1 to " + InternalApi.MAX_BATCH + " devices");
        }
        List<DeviceCursors.Device> devices = asked.stream().map(d -> {
            if (d == null) {
                throw ApiException.invalidRequest("devices must not contain null");
            }
            return new DeviceCursors.Device(RequestParameters.uuid("user_id", d.userId()),
                    RequestParameters.uuid("device_id", d.deviceId()));
        }).toList();
        return new DevicePositions.Answer(cursors.positions(devices));
    }
}
