package dev.pocketbridge.event.replay;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.protocol.ReplayPage;
import dev.pocketbridge.web.RequestParameters;

/** Internal: one replay page for a device of a user; the gateway serves it over WS and REST. */
@RestController
class ReplayController {

    private final ReplayService replay;

    ReplayController(ReplayService replay) {
        this.replay = replay;
    }

    @GetMapping(InternalApi.REPLAY)
    ReplayPage replay(@PathVariable String userId,
            @RequestParam(name = "device_id") String deviceId,
            @RequestParam(name = "after_seq", required = false) Long afterSeq,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "continuation_token", required = false) String continuationToken) {
        return replay.page(RequestParameters.uuid("user_id", userId), RequestParameters.uuid("device_id", deviceId), afterSeq, limit,
                continuationToken);
    }
}
