package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.adapter.AbstractWebSocketSession;

import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The queue of one connection's outbound frames: order, limits in frames and bytes, overflow, closing. */
class OutboundQueueTest {

    /** A WebSocket that takes whatever it is given to send and records it, and how it was closed. */
    private static final class RecordingSocket extends AbstractWebSocketSession<Object> {
        final List<WebSocketMessage> sent = new CopyOnWriteArrayList<>();
        final List<CloseStatus> closes = new CopyOnWriteArrayList<>();

        RecordingSocket() {
            super(new Object(), "ws-1", new HandshakeInfo(URI.create("ws://localhost/ws"), new HttpHeaders(),
                    Mono.empty(), null), DefaultDataBufferFactory.sharedInstance);
        }

        @Override
        public Flux<WebSocketMessage> receive() {
            return Flux.never();
        }

        @Override
        public Mono<Void> send(Publisher<WebSocketMessage> messages) {
            return Flux.from(messages).doOnNext(sent::add).then();
        }

        @Override
        public boolean isOpen() {
            return closes.isEmpty();
        }

        @Override
        public Mono<Void> close(CloseStatus status) {
            return Mono.fromRunnable(() -> closes.add(status));
        }

        @Override
        public Mono<CloseStatus> closeStatus() {
            return Mono.empty();
        }

        List<ServerFrame> texts() {
            return sent.stream().filter(m -> m.getType() == WebSocketMessage.Type.TEXT)
                    .map(m -> FrameCodec.decodeServer(m.getPayloadAsText())).toList();
        }
    }

    private final RecordingSocket ws = new RecordingSocket();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final OutboundLedger ledger = new OutboundLedger(meters);
    private final AtomicInteger stalls = new AtomicInteger();

    private OutboundQueue queue(int maxFrames, long maxBytes) {
        return new OutboundQueue(ws, maxFrames, maxBytes, ledger, stalls::incrementAndGet);
    }

    private static ServerFrame.Error frame(String message) {
        return new ServerFrame.Error("protocol_error", message);
    }

    private static ServerFrame.DeliveredEvent delivered(long seq) {
        return new ServerFrame.DeliveredEvent(seq, "e-" + seq, "d", seq, "clip", seq, "text", "AAAA", null, 0, false);
    }

    @Test
    void framesGoOutInOrderAndTheCloseAfterThem() {
        OutboundQueue queue = queue(10, 1 << 20);
        queue.send(frame("a"));
        queue.ping();
        queue.send(frame("b"));
        assertThat(queue.close(new CloseStatus(4001, "session expired"))).isTrue();
        queue.send(frame("after the close"));

        queue.run().block(Duration.ofSeconds(5));

        assertThat(ws.texts()).containsExactly(frame("a"), frame("b"));
        assertThat(ws.sent).extracting(WebSocketMessage::getType).containsExactly(WebSocketMessage.Type.TEXT,
                WebSocketMessage.Type.PING, WebSocketMessage.Type.TEXT);
        assertThat(ws.closes).containsExactly(new CloseStatus(4001, "session expired"));
        assertThat(queue.close(CloseStatus.GOING_AWAY)).as("the first close wins").isFalse();
        assertThat(queue.closeStatus()).isEqualTo(new CloseStatus(4001, "session expired"));
    }

    @Test
    void aFrameThatDoesNotFitStallsTheConnectionButALiveDeliveryIsDroppedAndCounted() {
        OutboundQueue queue = queue(2, 1 << 20);
        queue.send(frame("a"));
        queue.send(frame("b"));

        queue.deliverLive(delivered(1));
        assertThat(stalls).hasValue(0);
        assertThat(meters.counter(OutboundLedger.DROPPED_METRIC).count()).isEqualTo(1);

        queue.send(frame("c"));
        assertThat(stalls).hasValue(1);
    }

    @Test
    void bytesCountUntilWrittenAgainstTheSessionsBudget() {
        int size = FrameCodec.encodeUtf8(frame("a")).length;
        OutboundQueue queue = queue(100, 2L * size);
        queue.send(frame("a"));
        queue.send(frame("b"));
        assertThat(ledger.queuedBytes()).isEqualTo(2L * size);

        queue.send(frame("c"));
        assertThat(stalls).hasValue(1);

        queue.written(size); // Netty wrote one
        queue.send(frame("d"));
        assertThat(stalls).hasValue(1);
        assertThat(ledger.queuedBytes()).isEqualTo(2L * size);

        queue.finish();
        assertThat(ledger.queuedBytes()).as("an ended session's bytes leave the node's account").isZero();
        assertThat(queue.closeStatus()).isEqualTo(CloseStatus.NORMAL);
    }

    @Test
    void liveDeliveriesGoOutOnlyInIncreasingSeq() {
        OutboundQueue queue = queue(10, 1 << 20);
        queue.deliverLive(delivered(5));
        queue.deliverLive(delivered(5));
        queue.deliverLive(delivered(4));
        queue.deliverLive(delivered(6));
        queue.close(CloseStatus.NORMAL);

        queue.run().block(Duration.ofSeconds(5));

        assertThat(ws.texts()).extracting(f -> ((ServerFrame.DeliveredEvent) f).seq()).containsExactly(5L, 6L);
    }

    @Test
    void aCloseThatDoesNotFitTheQueueClosesAtOnce() {
        OutboundQueue queue = queue(1, 1 << 20);
        queue.send(frame("a"));

        assertThat(queue.close(CloseStatus.GOING_AWAY)).isTrue();

        assertThat(ws.closes).containsExactly(CloseStatus.GOING_AWAY);
        queue.send(frame("b"));
        assertThat(stalls).as("a closing connection takes nothing more, and does not stall").hasValue(0);
    }
}
