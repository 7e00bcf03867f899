package dev.pocketbridge.event.replay;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.protocol.ReplayPage;
import dev.pocketbridge.web.DeviceCaller;
import dev.pocketbridge.web.DeviceDirectory;

/**
 * REST replay for devices ({@code GET /api/v1/events}, routed by the gateway): the same pages as
 * {@code replay_response}, from the same {@link ReplayService}, for the device and user of the
 * caller's access token (never from the query), once device-service confirms the token still counts.
 */
@RestController
class EventsController {

    static final String PATH = "/api/v1/events";

    private final ReplayService replay;
    private final DeviceDirectory devices;

    EventsController(ReplayService replay, DeviceDirectory devices) {
        this.replay = replay;
        this.devices = devices;
    }

    @GetMapping(PATH)
    ReplayPage events(@AuthenticationPrincipal Jwt jwt,
            @RequestParam(name = "after_seq", required = false) Long afterSeq,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "continuation_token", required = false) String continuationToken) {
        // A device's token (else 403) that still counts by device-service's word (else 401, 503 while it cannot say).
        DeviceCaller caller = devices.requireAdmitted(DeviceCaller.of(jwt));
        return replay.page(caller.userId(), caller.deviceId(), afterSeq, limit, continuationToken);
    }
}
