package dev.pocketbridge.event.replay;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.protocol.ReplayPage;
import dev.pocketbridge.web.DeviceCaller;
import dev.pocketbridge.web.DeviceDirectory;
import dev.pocketbridge.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * REST replay for devices ({@code GET /api/v1/events}, routed by the gateway): the same pages as
 * {@code replay_response}, from the same {@link ReplayService}, for the device and user of the
 * caller's access token (never from the query), once device-service confirms the token still counts.
 */
@RestController
@Tag(name = "Events")
class EventsController {

    static final String PATH = "/api/v1/events";

    private final ReplayService replay;
    private final DeviceDirectory devices;

    EventsController(ReplayService replay, DeviceDirectory devices) {
        this.replay = replay;
        this.devices = devices;
    }

    @GetMapping(PATH)
    @Operation(operationId = "replayEvents", summary = "A page of the user's event log (REST replay)",
            description = "The same semantics and body as `replay_response` (docs/protocol.md §3.4) without `type`. "
                    + "`after_seq` and `continuation_token` are mutually exclusive.")
    @ProblemResponse(status = 400, codes = ReplayService.INVALID_CONTINUATION_TOKEN)
    ReplayPage events(@AuthenticationPrincipal Jwt jwt,
            @RequestParam(name = "after_seq", required = false) Long afterSeq,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "continuation_token", required = false) String continuationToken) {
        // A device's token (else 403) that still counts by device-service's word (else 401, 503 while it cannot say).
        DeviceCaller caller = devices.requireAdmitted(DeviceCaller.of(jwt));
        return replay.page(caller.userId(), caller.deviceId(), afterSeq, limit, continuationToken).toReplayPage();
    }
}
