package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The queue of one connection's outbound frames: order, limits in frames and bytes, overflow, closing. */
class OutboundQueueTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** A WebSocket's output that takes whatever it is given to send and records it, and how it was closed. */
    private static final class RecordingOutput implements OutboundQueue.Output {
        final List<WebSocketFrame> sent = new CopyOnWriteArrayList<>();
        final List<CloseStatus> closes = new CopyOnWriteArrayList<>();

        @Override
        public Mono<Void> sendFrames(Publisher<WebSocketFrame> frames) {
            return Flux.from(frames).doOnNext(sent::add).then();
        }

        @Override
        public Mono<Void> close(CloseStatus status) {
            return Mono.fromRunnable(() -> closes.add(status));
        }

        @Override
        public String getId() {
            return "ws-1";
        }

        List<ServerFrame> texts() {
            return sent.stream().filter(TextWebSocketFrame.class::isInstance)
                    .map(f -> FrameCodec.decodeServer(((TextWebSocketFrame) f).text())).toList();
        }
    }

    private final RecordingOutput ws = new RecordingOutput();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final OutboundLedger ledger = new OutboundLedger(meters);
    private final GatewayMetrics metrics = new GatewayMetrics(meters, Clock.fixed(NOW, ZoneOffset.UTC));
    private final AtomicInteger stalls = new AtomicInteger();

    private OutboundQueue queue(int maxFrames, long maxBytes) {
        return new OutboundQueue(ws, maxFrames, maxBytes, ledger, metrics, stalls::incrementAndGet);
    }

    private static ServerFrame.Error frame(String message) {
        return new ServerFrame.Error("protocol_error", message);
    }

    private static ServerFrame.DeliveredEvent delivered(long seq) {
        return delivered(seq, 0);
    }

    private static ServerFrame.DeliveredEvent delivered(long seq, long createdAt) {
        return new ServerFrame.DeliveredEvent(seq, "e-" + seq, "d", seq, "clip", seq, "text", "AAAA", null, createdAt,
                false);
    }

    private double dropped(GatewayMetrics.Drop reason) {
        return meters.get(GatewayMetrics.DELIVERIES_DROPPED).tag("reason", reason.tag()).counter().count();
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
        assertThat(ws.sent).extracting(f -> f.getClass().getSimpleName()).containsExactly("TextWebSocketFrame",
                "PingWebSocketFrame", "TextWebSocketFrame");
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
        assertThat(dropped(GatewayMetrics.Drop.BUFFER_FULL)).isEqualTo(1);

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
        assertThat(dropped(GatewayMetrics.Drop.REPEATED)).isEqualTo(2);
        queue.deliverLive(delivered(7));
        assertThat(dropped(GatewayMetrics.Drop.SESSION_CLOSING)).isEqualTo(1);
    }

    @Test
    void aLiveDeliveryIsTimedFromItsStoredTimeToWhenNettyWroteIt() {
        OutboundQueue queue = queue(10, 1 << 20);
        queue.send(frame("a"));
        queue.deliverLive(delivered(1, NOW.toEpochMilli() - 250));
        queue.close(CloseStatus.NORMAL);
        queue.run().block(Duration.ofSeconds(5));
        Timer latency = meters.get(GatewayMetrics.DELIVERY_LATENCY).timer();

        queue.written(10); // the error frame: not a delivery
        assertThat(latency.count()).isZero();

        queue.written(10);
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
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
