package dev.pocketbridge.gateway.session;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.session.EventServiceClient.ClientReplay;
import dev.pocketbridge.gateway.session.EventServiceClient.ReplayAnswer;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * One session's {@code replay_request}s, answered with pages from event-service, passed through
 * unread: as text frames of JSON, or as binary messages of CBOR when the request asks for
 * {@code "encoding":"cbor"} (event-service writes the page so). A session has one replay in flight
 * at a time. When a page has a continuation, the next page is asked for as soon as this one is sent,
 * so event-service reads it while the device reads this one; the device's request for exactly that
 * page (its continuation token, limit and encoding) is then answered from it. A page asked for
 * ahead is kept for at most {@link #PREFETCH_MAX_AGE}, and a session holds at most one: two pages in
 * memory instead of one while it catches up.
 */
final class Replays {

    /**
     * How long a page asked for ahead may answer the device's request. A device that catches up asks
     * at once; a page older than this is asked for again, so an answer is never much older than the
     * request, as if it had come back late.
     */
    static final Duration PREFETCH_MAX_AGE = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(Replays.class);

    /**
     * The next page of a replay, asked for before the device asked; {@code expiry} lets it go after
     * {@link #PREFETCH_MAX_AGE}, so one still held is young enough to answer.
     */
    private record Prefetch(ClientReplay request, Mono<ReplayAnswer> answer, Disposable.Swap expiry) {
    }

    private final EventServiceClient events;
    private final SessionRateLimits rateLimits;
    private final GatewayMetrics metrics;
    private final int defaultLimit;
    private final int maxLimit;
    private final Consumer<ServerFrame> send;
    private final Consumer<byte[]> sendEncoded;
    private final Consumer<byte[]> sendBinary;
    private final AtomicBoolean replaying = new AtomicBoolean();
    private final AtomicReference<Prefetch> prefetched = new AtomicReference<>();
    private volatile boolean ended;

    /**
     * @param send        sends a frame to the session's client
     * @param sendEncoded sends a frame, already encoded as UTF-8 JSON, to the session's client
     * @param sendBinary  sends a binary message (a frame encoded as CBOR) to the session's client
     */
    Replays(SessionCollaborators collaborators, Consumer<ServerFrame> send, Consumer<byte[]> sendEncoded,
            Consumer<byte[]> sendBinary) {
        this.events = collaborators.events();
        this.rateLimits = collaborators.rateLimits();
        this.metrics = collaborators.metrics();
        this.defaultLimit = collaborators.limits().replayDefaultLimit();
        this.maxLimit = collaborators.limits().replayMaxLimit();
        this.send = send;
        this.sendEncoded = sendEncoded;
        this.sendBinary = sendBinary;
    }

    /**
     * Asks event-service for the page (or takes the one asked for ahead) and sends its answer when
     * it comes. Not awaited: a slow page must not hold up the events and acks behind it (a page that
     * arrives after the close is discarded by the closed outbound queue).
     */
    void request(String userId, String deviceId, ClientFrame.ReplayRequest request) {
        int limit = request.limit() == null ? defaultLimit : request.limit();
        if (limit < 1 || limit > maxLimit) {
            send.accept(new ServerFrame.Error(ErrorCode.INVALID_REQUEST.wire(), "limit must be between 1 and " + maxLimit));
            return;
        }
        String encoding = request.encoding();
        boolean cbor = ClientFrame.ReplayRequest.CBOR.equals(encoding);
        if (encoding != null && !cbor && !ClientFrame.ReplayRequest.JSON.equals(encoding)) {
            send.accept(new ServerFrame.Error(ErrorCode.INVALID_REQUEST.wire(), "encoding must be json or cbor"));
            return;
        }
        if (!replaying.compareAndSet(false, true)) {
            rateLimits.replayRefused();
            send.accept(new ServerFrame.Error(ErrorCode.RATE_LIMITED.wire(),
                    "a replay is already in progress; wait for its answer"));
            return;
        }
        ClientReplay page = new ClientReplay(request.afterSeq(), limit, request.continuationToken(), cbor);
        Prefetch ahead = takeAhead();
        Mono<ReplayAnswer> answer = ahead != null && ahead.request().equals(page)
                ? ahead.answer()
                : events.replay(userId, deviceId, page);
        answer.doFinally(signal -> replaying.set(false))
                .subscribe(a -> {
                    switch (a) {
                        case ReplayAnswer.Page(byte[] body, String next) -> {
                            byte[] frame;
                            try {
                                frame = cbor ? FrameCodec.replayResponseCbor(request.requestId(), body)
                                        : FrameCodec.replayResponseUtf8(request.requestId(), body);
                            } catch (IllegalArgumentException e) {
                                log.warn("event-service answered a replay with no page: {}", e.getMessage());
                                replaying.set(false);
                                send.accept(EventServiceClient.unavailable().error());
                                return;
                            }
                            if (next != null) {
                                askAhead(userId, deviceId, new ClientReplay(null, limit, next, cbor));
                            }
                            replaying.set(false); // before the answer can reach the client and it asks again
                            metrics.replayPageSent();
                            (cbor ? sendBinary : sendEncoded).accept(frame);
                        }
                        case ReplayAnswer.Refused(ServerFrame.Error error) -> {
                            replaying.set(false);
                            send.accept(error);
                        }
                    }
                });
    }

    /** The session ended: a page asked for ahead is let go at once. */
    void sessionEnded() {
        ended = true;
        takeAhead();
    }

    /** Takes the page asked for ahead, if any, and stops its timer, which must not keep the page in memory. */
    private Prefetch takeAhead() {
        Prefetch ahead = prefetched.getAndSet(null);
        if (ahead != null) {
            ahead.expiry().dispose();
        }
        return ahead;
    }

    /**
     * Asks for the next page now, unless the session ended; it is let go when the device has not
     * asked for it in time.
     */
    private void askAhead(String userId, String deviceId, ClientReplay next) {
        if (ended) {
            return;
        }
        Mono<ReplayAnswer> answer = events.replay(userId, deviceId, next).cache();
        Prefetch ahead = new Prefetch(next, answer, Disposables.swap());
        takeAhead();
        prefetched.set(ahead);
        answer.subscribe();
        ahead.expiry().update(Mono.delay(PREFETCH_MAX_AGE).subscribe(t -> prefetched.compareAndSet(ahead, null)));
    }
}
