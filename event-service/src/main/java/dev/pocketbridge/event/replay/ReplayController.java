package dev.pocketbridge.event.replay;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.codec.Cbor;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.web.RequestParameters;

/**
 * Internal: one replay page for a device of a user; the gateway serves it over WS and REST. The page
 * is written by the wire's own mapper ({@link Json}), not Spring's: the gateway passes it through to
 * the device as the members of its {@code replay_response} frame without reading it
 * ({@link dev.pocketbridge.common.protocol.FrameCodec#replayResponseUtf8}), so it must be exactly
 * what the frame's encoding would write; and the page's continuation token is repeated in a header,
 * so the gateway can ask for the next page before the device does without reading this one. Asked
 * with {@code Accept: application/cbor} (a device's {@code "encoding":"cbor"}, §3.4), the page is
 * written as CBOR ({@link Cbor}), its ciphertext as byte strings.
 */
@RestController
class ReplayController {

    private final ReplayService replay;

    ReplayController(ReplayService replay) {
        this.replay = replay;
    }

    @GetMapping(path = InternalApi.REPLAY, produces = {MediaType.APPLICATION_JSON_VALUE, Cbor.MEDIA_TYPE})
    ResponseEntity<byte[]> replay(@PathVariable String userId,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestParam(name = "device_id") String deviceId,
            @RequestParam(name = "after_seq", required = false) Long afterSeq,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "continuation_token", required = false) String continuationToken) {
        LogPage page = replay.page(RequestParameters.uuid("user_id", userId), RequestParameters.uuid("device_id", deviceId),
                afterSeq, limit, continuationToken);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (page.continuationToken() != null) {
            response.header(InternalApi.REPLAY_CONTINUATION_HEADER, page.continuationToken());
        }
        if (accept != null && accept.startsWith(Cbor.MEDIA_TYPE)) {
            return response.contentType(MediaType.parseMediaType(Cbor.MEDIA_TYPE)).body(Cbor.mapper().writeValueAsBytes(page));
        }
        return response.contentType(MediaType.APPLICATION_JSON).body(Json.mapper().writeValueAsBytes(page));
    }
}
