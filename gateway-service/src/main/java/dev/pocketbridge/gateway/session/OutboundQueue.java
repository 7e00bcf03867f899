package dev.pocketbridge.gateway.session;

import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Everything one connection sends, in order: frames from the inbound handler, the deliveries
 * thread, timers and Kafka callbacks are serialized through one queue, bounded in frames
 * ({@code outbound-buffer}) and in bytes ({@code outbound-buffer-bytes}; a frame's bytes count
 * until Netty has written it, see {@link FrameGuard}). A close is queued behind what precedes it;
 * the close status, once asked for, is kept here under the queue's lock.
 * <p>
 * The queue holds Netty's frames and is handed to Reactor Netty's outbound as it is, so Reactor
 * Netty takes the frames from it directly (fusion) rather than through operators and a queue of its
 * own, which cost every idle session about 1.7 KiB.
 * <p>
 * Overflow: a live delivery that does not fit is dropped (the client sees the gap and replays);
 * any other frame that does not fit means the client stopped reading, and the connection is told
 * it stalled (it closes with 1013).
 */
final class OutboundQueue {

    private static final Logger log = LoggerFactory.getLogger(OutboundQueue.class);

    /** What {@link #offer} did with a frame. */
    private enum Offer { QUEUED, FULL, CLOSED }

    /** Where the frames go: the connection's WebSocket ({@link ChannelUpgradeStrategy.FrameSession}). */
    interface Output {
        /** Writes {@code frames} in order; completes once they have completed and the last is written. */
        Mono<Void> sendFrames(Publisher<WebSocketFrame> frames);

        /** Sends the close frame with {@code status}. */
        Mono<Void> close(CloseStatus status);

        String getId();
    }

    private final Output output;
    private final OutboundLedger.Budget budget;
    private final GatewayMetrics metrics;
    /** Per data frame queued and not yet written, in order: a live delivery's {@code created_at}, else -1. */
    private final Queue<Long> writing = new ConcurrentLinkedQueue<>();
    private final Runnable stalled;
    /** The frames, linked: an idle session holds a few hundred bytes of it, not an array of maxFrames. */
    private final BlockingQueue<WebSocketFrame> frames;
    private final Sinks.Many<WebSocketFrame> queue;
    private final AtomicLong lastLiveSeq = new AtomicLong();
    private CloseStatus closeStatus;

    /**
     * @param maxFrames the most frames queued at once
     * @param maxBytes  the most bytes queued and not yet written, a budget of {@code ledger}
     * @param metrics   counts dropped live deliveries and times those written
     * @param stalled   told when a frame that must not be dropped does not fit
     */
    OutboundQueue(Output output, int maxFrames, long maxBytes, OutboundLedger ledger, GatewayMetrics metrics,
            Runnable stalled) {
        this.output = output;
        this.budget = ledger.open(maxBytes);
        this.metrics = metrics;
        this.stalled = stalled;
        this.frames = new LinkedBlockingQueue<>(maxFrames);
        this.queue = Sinks.many().unicast().onBackpressureBuffer(frames);
    }

    /** Sends the queued frames until a close, then the close frame; completes when the connection's output does. */
    Mono<Void> run() {
        return output.sendFrames(queue.asFlux()).then(Mono.defer(() -> {
            CloseStatus status = closeStatus();
            return status == null ? Mono.empty() : output.close(status);
        }));
    }

    /** Queues a frame that must reach the client; one that does not fit means it {@code stalled}. */
    void send(ServerFrame frame) {
        send(FrameCodec.encodeUtf8(frame));
    }

    /** {@link #send(ServerFrame)} of a frame already encoded: its UTF-8 JSON. */
    void send(byte[] json) {
        queueOrStall(json, false);
    }

    /** {@link #send(byte[])} of a binary message: a CBOR replay page (§3.4). */
    void sendBinary(byte[] cbor) {
        queueOrStall(cbor, true);
    }

    private void queueOrStall(byte[] bytes, boolean binary) {
        if (offer(bytes, -1, binary) == Offer.FULL) {
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
                switch (offer(FrameCodec.encodeUtf8(event), event.createdAt(), false)) {
                    case FULL -> {
                        metrics.dropped(GatewayMetrics.Drop.BUFFER_FULL);
                        log.debug("outbound buffer of connection {} full; dropped a live delivery", output.getId());
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
     * Gives back the bytes of a data frame Netty has written, or failed to write (from the
     * {@link FrameGuard}, in the order the frames were handed to it), and times a live delivery's.
     */
    void written(long bytes) {
        budget.release(bytes);
        Long createdAt = writing.poll();
        if (createdAt != null && createdAt >= 0) {
            metrics.delivered(createdAt);
        }
    }

    /** Queues a text (or binary) frame, unless the connection is closing or the frame does not fit. */
    private Offer offer(byte[] bytes, long createdAt, boolean binary) {
        synchronized (this) {
            if (closeStatus != null) {
                return Offer.CLOSED;
            }
            // Only this lock's holder adds, so a frame that fits now still fits when emitted.
            if (frames.remainingCapacity() == 0 || !budget.tryReserve(bytes.length)) {
                return Offer.FULL;
            }
            writing.add(createdAt); // before the emit: Netty may write the frame at once
            WebSocketFrame frame = binary ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))
                    : new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes));
            if (queue.tryEmitNext(frame).isFailure()) {
                budget.release(bytes.length); // the connection's output is gone: nothing more is written
                return Offer.FULL;
            }
            return Offer.QUEUED;
        }
    }

    /** Queues a ping; a full queue already means a slow reader, and the next ping tries again. */
    synchronized void ping() {
        if (closeStatus == null) {
            queue.tryEmitNext(new PingWebSocketFrame());
        }
    }

    /**
     * Queues the close behind what is already queued (the queue ends, and {@link #run} sends the close
     * once what precedes it is written); when the queue is full, the client stopped reading and the
     * connection closes at once without flushing. Returns false when a close was already asked for.
     */
    boolean close(CloseStatus status) {
        boolean queued;
        synchronized (this) {
            if (closeStatus != null) {
                return false;
            }
            closeStatus = status;
            queued = frames.remainingCapacity() > 0 && queue.tryEmitComplete().isSuccess();
        }
        if (!queued) {
            output.close(status).subscribe(null, e -> log.debug("closing an already closed connection: {}", e.toString()));
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
