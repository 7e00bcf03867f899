package dev.pocketbridge.gateway.session;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Everything one connection sends, in order: frames from the inbound handler, the deliveries
 * thread, timers and Kafka callbacks are serialized through one queue, bounded in frames
 * ({@code outbound-buffer}) and in bytes ({@code outbound-buffer-bytes}; a frame's bytes count
 * until Netty has written it, see {@link FrameGuard}). A close is queued behind what precedes it;
 * the close status, once asked for, is kept here under the queue's lock.
 * <p>
 * Overflow: a live delivery that does not fit is dropped (the client sees the gap and replays);
 * any other frame that does not fit means the client stopped reading, and the connection is told
 * it stalled (it closes with 1013).
 */
final class OutboundQueue {

    private static final Logger log = LoggerFactory.getLogger(OutboundQueue.class);

    /** What {@link #offer} did with a frame. */
    private enum Offer { QUEUED, FULL, CLOSED }

    /** What the queue carries: a text frame, a ping, or the request to close after what precedes it. */
    private sealed interface Out {
        /** @param createdAt a live delivery's {@code created_at}, else -1 */
        record Text(byte[] json, long createdAt) implements Out {
        }

        record Close(CloseStatus status) implements Out {
        }

        record Ping() implements Out {
        }
    }

    private final WebSocketSession ws;
    private final OutboundLedger.Budget budget;
    private final GatewayMetrics metrics;
    /** Per text frame handed to the socket and not yet written, in order: its {@link Out.Text#createdAt}. */
    private final Queue<Long> writing = new ConcurrentLinkedQueue<>();
    private final Runnable stalled;
    private final Sinks.Many<Out> queue;
    private final AtomicLong lastLiveSeq = new AtomicLong();
    private CloseStatus closeStatus;

    /**
     * @param maxFrames the most frames queued at once
     * @param maxBytes  the most bytes queued and not yet written, a budget of {@code ledger}
     * @param metrics   counts dropped live deliveries and times those written
     * @param stalled   told when a frame that must not be dropped does not fit
     */
    OutboundQueue(WebSocketSession ws, int maxFrames, long maxBytes, OutboundLedger ledger, GatewayMetrics metrics,
            Runnable stalled) {
        this.ws = ws;
        this.budget = ledger.open(maxBytes);
        this.metrics = metrics;
        this.stalled = stalled;
        // Linked, not an array: an idle session then holds a few hundred bytes of queue, not an
        // array of maxFrames references allocated up front (8 KiB at the default 1024).
        this.queue = Sinks.many().unicast().onBackpressureBuffer(new LinkedBlockingQueue<>(maxFrames));
    }

    /** Sends the queued frames until a close, then the close frame; completes when the connection's output does. */
    Mono<Void> run() {
        Flux<WebSocketMessage> frames = queue.asFlux()
                .takeUntil(out -> out instanceof Out.Close)
                .<WebSocketMessage>handle((out, sink) -> {
                    switch (out) {
                        case Out.Text(byte[] json, long createdAt) -> {
                            writing.add(createdAt);
                            sink.next(new WebSocketMessage(WebSocketMessage.Type.TEXT, ws.bufferFactory().wrap(json)));
                        }
                        case Out.Ping p -> sink.next(ws.pingMessage(factory -> factory.allocateBuffer(0)));
                        case Out.Close c -> {
                        }
                    }
                });
        return ws.send(frames).then(Mono.defer(() -> {
            CloseStatus status = closeStatus();
            return status == null ? Mono.empty() : ws.close(status);
        }));
    }

    /** Queues a frame that must reach the client; one that does not fit means it {@code stalled}. */
    void send(ServerFrame frame) {
        send(FrameCodec.encodeUtf8(frame));
    }

    /** {@link #send(ServerFrame)} of a frame already encoded: its UTF-8 JSON. */
    void send(byte[] json) {
        if (offer(json, -1) == Offer.FULL) {
            stalled.run();
        }
    }

    /**
     * Queues a live delivery if its {@code seq} is above every one before it (so seq increases on
     * the session and at-least-once repeats are dropped); one that does not fit is dropped. Every
     * drop is counted by its {@link GatewayMetrics.Drop reason}.
     */
    void deliverLive(ServerFrame.DeliveredEvent event) {
        long last = lastLiveSeq.get();
        while (event.seq() > last) {
            if (lastLiveSeq.compareAndSet(last, event.seq())) {
                switch (offer(FrameCodec.encodeUtf8(event), event.createdAt())) {
                    case FULL -> {
                        metrics.dropped(GatewayMetrics.Drop.BUFFER_FULL);
                        log.debug("outbound buffer of connection {} full; dropped a live delivery", ws.getId());
                    }
                    case CLOSED -> metrics.dropped(GatewayMetrics.Drop.SESSION_CLOSING);
                    case QUEUED -> {
                    }
                }
                return;
            }
            last = lastLiveSeq.get();
        }
        metrics.dropped(GatewayMetrics.Drop.REPEATED);
    }

    /**
     * Gives back the bytes of a text frame Netty has written, or failed to write (from the
     * {@link FrameGuard}, in the order the frames were handed to it), and times a live delivery's.
     */
    void written(long bytes) {
        budget.release(bytes);
        Long createdAt = writing.poll();
        if (createdAt != null && createdAt >= 0) {
            metrics.delivered(createdAt);
        }
    }

    /** Queues a frame, unless the connection is closing or the frame does not fit. */
    private Offer offer(byte[] json, long createdAt) {
        synchronized (this) {
            if (closeStatus != null) {
                return Offer.CLOSED;
            }
            if (!budget.tryReserve(json.length)) {
                return Offer.FULL;
            }
            if (queue.tryEmitNext(new Out.Text(json, createdAt)).isFailure()) {
                budget.release(json.length);
                return Offer.FULL;
            }
            return Offer.QUEUED;
        }
    }

    /** Queues a ping; a full queue already means a slow reader, and the next ping tries again. */
    synchronized void ping() {
        if (closeStatus == null) {
            queue.tryEmitNext(new Out.Ping());
        }
    }

    /**
     * Queues the close behind what is already queued; when even that does not fit, closes at once
     * without flushing. Returns false when a close was already asked for.
     */
    boolean close(CloseStatus status) {
        Sinks.EmitResult result;
        synchronized (this) {
            if (closeStatus != null) {
                return false;
            }
            closeStatus = status;
            result = queue.tryEmitNext(new Out.Close(status));
        }
        if (result.isFailure()) {
            ws.close(status).subscribe(null, e -> log.debug("closing an already closed connection: {}", e.toString()));
        }
        return true;
    }

    synchronized CloseStatus closeStatus() {
        return closeStatus;
    }

    /** The connection is over: nothing more is queued, and its bytes leave the node's account. */
    void finish() {
        synchronized (this) {
            if (closeStatus == null) {
                closeStatus = CloseStatus.NORMAL;
            }
            queue.tryEmitComplete();
        }
        budget.close();
    }
}
