package dev.pocketbridge.gateway.session;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * One session's {@code replay_request}s, answered with pages from event-service. A session has one
 * replay in flight at a time: each holds a connection to event-service and a page in memory.
 */
final class Replays {

    private final EventServiceClient events;
    private final SessionRateLimits rateLimits;
    private final GatewayMetrics metrics;
    private final int defaultLimit;
    private final int maxLimit;
    private final Consumer<ServerFrame> send;
    private final Consumer<byte[]> sendEncoded;
    private final AtomicBoolean replaying = new AtomicBoolean();

    /**
     * @param send        sends a frame to the session's client
     * @param sendEncoded sends a frame, already encoded as UTF-8 JSON, to the session's client
     */
    Replays(SessionCollaborators collaborators, Consumer<ServerFrame> send, Consumer<byte[]> sendEncoded) {
        this.events = collaborators.events();
        this.rateLimits = collaborators.rateLimits();
        this.metrics = collaborators.metrics();
        this.defaultLimit = collaborators.limits().replayDefaultLimit();
        this.maxLimit = collaborators.limits().replayMaxLimit();
        this.send = send;
        this.sendEncoded = sendEncoded;
    }

    /**
     * Asks event-service for the page and sends its answer when it comes. Not awaited: a slow page
     * must not hold up the events and acks behind it (a page that arrives after the close is
     * discarded by the closed outbound queue).
     */
    void request(String userId, String deviceId, ClientFrame.ReplayRequest request) {
        int limit = request.limit() == null ? defaultLimit : request.limit();
        if (limit < 1 || limit > maxLimit) {
            send.accept(new ServerFrame.Error(ErrorCode.INVALID_REQUEST.wire(), "limit must be between 1 and " + maxLimit));
            return;
        }
        if (!replaying.compareAndSet(false, true)) {
            rateLimits.replayRefused();
            send.accept(new ServerFrame.Error(ErrorCode.RATE_LIMITED.wire(),
                    "a replay is already in progress; wait for its answer"));
            return;
        }
        EventServiceClient.ClientReplay replay = new EventServiceClient.ClientReplay(request.requestId(),
                request.afterSeq(), limit, request.continuationToken());
        events.replay(userId, deviceId, replay)
                .doFinally(signal -> replaying.set(false))
                .subscribe(answer -> {
                    replaying.set(false); // before the answer can reach the client and it asks again
                    switch (answer) {
                        case EventServiceClient.ReplayAnswer.Page(byte[] frame) -> {
                            metrics.replayPageSent();
                            sendEncoded.accept(frame);
                        }
                        case EventServiceClient.ReplayAnswer.Refused(ServerFrame.Error error) -> send.accept(error);
                    }
                });
    }
}
