package dev.pocketbridge.gateway.session;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import dev.pocketbridge.common.codec.Cbor;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.common.internal.DevicePositions;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.ServiceUrls;
import dev.pocketbridge.gateway.batching.BatchedCalls;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** event-service's internal API: a device's position for {@code session_established}, and replay pages. */
@Component
class EventServiceClient {

    private static final Logger log = LoggerFactory.getLogger(EventServiceClient.class);
    private static final MediaType CBOR = MediaType.parseMediaType(Cbor.MEDIA_TYPE);

    private final WebClient web;
    private final String base;
    private final BatchedCalls<DevicePositions.UserDevice, DevicePosition> positions;

    EventServiceClient(@Qualifier("internalWebClient") WebClient internalWebClient, ServiceUrls services,
            MeterRegistry meters) {
        this.web = internalWebClient;
        this.base = services.event().toString().replaceAll("/+$", "");
        this.positions = BatchedCalls.internal("positions", meters, this::positions);
    }

    /**
     * The device's position; errors when event-service cannot say. Asked in batches: the handshakes
     * that reach this step while {@link BatchedCalls#INTERNAL_CALLS_IN_FLIGHT} calls are out share the next one.
     */
    Mono<DevicePosition> position(String userId, String deviceId) {
        return positions.get(new DevicePositions.UserDevice(userId, deviceId));
    }

    private Mono<List<DevicePosition>> positions(List<DevicePositions.UserDevice> devices) {
        return web.post().uri(base + InternalApi.DEVICE_POSITIONS)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Json.write(new DevicePositions.Query(devices)))
                .retrieve()
                .bodyToMono(String.class)
                .map(json -> Json.read(json, DevicePositions.Answer.class).positions());
    }

    /**
     * One page as event-service wrote it, unread, with its continuation token from the response
     * header; or the {@code error} frame that answers the request instead. The gateway passes the
     * page through ({@link dev.pocketbridge.common.protocol.FrameCodec#replayResponseUtf8}):
     * parsing and re-encoding up to a page of ciphertext was most of its work in a catch-up.
     */
    Mono<ReplayAnswer> replay(String userId, String deviceId, ClientReplay request) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(base + InternalApi.REPLAY)
                .queryParam("device_id", deviceId)
                .queryParam("limit", request.limit());
        if (request.afterSeq() != null) {
            uri.queryParam("after_seq", request.afterSeq());
        }
        if (request.continuationToken() != null) {
            uri.queryParam("continuation_token", request.continuationToken());
        }
        MediaType format = request.cbor() ? CBOR : MediaType.APPLICATION_JSON;
        return web.get().uri(uri.encode().buildAndExpand(userId).toUri()).accept(format).exchangeToMono(response -> {
            int status = response.statusCode().value();
            if (response.statusCode().is2xxSuccessful()) {
                String next = response.headers().asHttpHeaders().getFirst(InternalApi.REPLAY_CONTINUATION_HEADER);
                return response.bodyToMono(byte[].class).map(page -> (ReplayAnswer) new ReplayAnswer.Page(page, next));
            }
            if (status == 400) {
                return response.bodyToMono(String.class).defaultIfEmpty("")
                        .map(body -> (ReplayAnswer) new ReplayAnswer.Refused(new ServerFrame.Error(
                                ErrorCode.INVALID_REQUEST.wire(), detail(body))));
            }
            log.warn("event-service answered {} to a replay", status);
            return response.releaseBody().then(Mono.just(unavailable()));
        }).onErrorResume(e -> {
            log.warn("replay failed: {}", e.toString());
            return Mono.just(unavailable());
        });
    }

    /** The answer to a replay that event-service could not give. */
    static ReplayAnswer.Refused unavailable() {
        return new ReplayAnswer.Refused(new ServerFrame.Error(ErrorCode.UNAVAILABLE.wire(), "replay is unavailable; retry later"));
    }

    /** The problem's {@code detail} (event-service's own words for what was wrong), or a generic text. */
    private static String detail(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            JsonNode detail = node == null ? null : node.get("detail");
            if (detail != null && detail.isString() && !detail.asString().isBlank()) {
                return detail.asString();
            }
        } catch (RuntimeException e) {
            // not a problem document: fall through to the generic text
        }
        return "invalid replay request";
    }

    /** What answers a {@code replay_request}. */
    sealed interface ReplayAnswer {

        /**
         * @param body              the page's JSON (or CBOR), as event-service wrote it
         * @param continuationToken the page's continuation token, null on the last page
         */
        record Page(byte[] body, String continuationToken) implements ReplayAnswer {
        }

        record Refused(ServerFrame.Error error) implements ReplayAnswer {
        }
    }

    /** Which page a validated {@code replay_request} asks for, with its effective limit and its encoding. */
    record ClientReplay(Long afterSeq, int limit, String continuationToken, boolean cbor) {
    }
}
