package dev.pocketbridge.gateway.session;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.stereotype.Component;

import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's session meters (docs/monitoring.md). Every tag value comes from a fixed set, and
 * every meter is registered with all of its tag values at start, so each series exists at zero
 * before it first moves.
 */
@Component
class GatewayMetrics {

    static final String HANDSHAKES = "pocketbridge.gateway.handshakes";
    static final String EVENTS_ACCEPTED = "pocketbridge.gateway.events.accepted";
    static final String EVENTS_REJECTED = "pocketbridge.gateway.events.rejected";
    static final String ACK_LATENCY = "pocketbridge.gateway.events.ack.latency";
    static final String DELIVERY_LATENCY = "pocketbridge.gateway.deliveries.latency";
    static final String DELIVERIES_DROPPED = "pocketbridge.gateway.deliveries.dropped";
    static final String REPLAY_PAGES = "pocketbridge.gateway.replay.pages";
    static final String FRAMES_TOO_BIG = "pocketbridge.gateway.ws.frames_too_big";

    /** The {@code outcome} of a handshake that established a session. */
    static final String OK = "ok";
    /** The {@code outcome} of a handshake the client left (or the connection lost) before any answer. */
    static final String ABANDONED = "abandoned";

    /** Why a live delivery did not reach its session's outbound queue ({@code reason}). */
    enum Drop {
        /** The session's outbound buffer was full: the client sees the gap and replays. */
        BUFFER_FULL,
        /** The session was closing. */
        SESSION_CLOSING,
        /** Its {@code seq} was not above the session's last one: an at-least-once repeat. */
        REPEATED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<String, Counter> handshakes = new HashMap<>();
    private final Counter accepted;
    private final Map<String, Counter> rejected = new HashMap<>();
    private final Counter otherRejected;
    private final Timer ackLatency;
    private final Timer deliveryLatency;
    private final Map<Drop, Counter> dropped = new EnumMap<>(Drop.class);
    private final Counter replayPages;
    private final Counter framesTooBig;
    private final Clock clock;

    GatewayMetrics(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        handshakes.put(OK, handshakeCounter(meters, OK));
        handshakes.put(ABANDONED, handshakeCounter(meters, ABANDONED));
        for (ErrorCode code : ErrorCode.values()) {
            handshakes.put(code.wire(), handshakeCounter(meters, code.wire()));
        }
        this.accepted = Counter.builder(EVENTS_ACCEPTED)
                .description("event_ack frames sent: events stored (or found stored already) in the event log")
                .register(meters);
        for (RejectCode code : RejectCode.values()) {
            rejected.put(code.wire(), rejectedCounter(meters, code.wire()));
        }
        this.otherRejected = rejectedCounter(meters, "other");
        this.ackLatency = Timer.builder(ACK_LATENCY)
                .description("From an event frame received to its event_ack sent")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(meters);
        this.deliveryLatency = Timer.builder(DELIVERY_LATENCY)
                .description("From an event's stored time (created_at) to its live delivery written to a device's socket")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(meters);
        for (Drop drop : Drop.values()) {
            dropped.put(drop, Counter.builder(DELIVERIES_DROPPED).tag("reason", drop.tag())
                    .description("Live deliveries not sent to a session").register(meters));
        }
        this.replayPages = Counter.builder(REPLAY_PAGES).description("replay_response pages sent")
                .register(meters);
        this.framesTooBig = Counter.builder(FRAMES_TOO_BIG)
                .description("WebSocket messages refused from their frame header as too big (closed 1009)")
                .register(meters);
    }

    private static Counter handshakeCounter(MeterRegistry meters, String outcome) {
        return Counter.builder(HANDSHAKES).tag("outcome", outcome)
                .description("WebSocket handshakes by outcome: ok, abandoned, or the error code the client was sent")
                .register(meters);
    }

    private static Counter rejectedCounter(MeterRegistry meters, String code) {
        return Counter.builder(EVENTS_REJECTED).tag("code", code)
                .description("event_rejected frames sent, by their code").register(meters);
    }

    /** One connection's handshake, counted once: by its first outcome. */
    Handshake handshake() {
        return new Handshake();
    }

    /** Counts what a frame sent to a client says: an event accepted or rejected. */
    void sent(ServerFrame frame) {
        switch (frame) {
            case ServerFrame.EventAck a -> accepted.increment();
            case ServerFrame.EventRejected r -> rejected.getOrDefault(r.code(), otherRejected).increment();
            default -> {
            }
        }
    }

    /** Counts a replay page sent to a client (passed through encoded, so not seen by {@link #sent}). */
    void replayPageSent() {
        replayPages.increment();
    }

    /** An event's ack, {@code nanos} after its frame was received. */
    void acked(long nanos) {
        ackLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A live delivery of an event stored at {@code createdAtMillis} was written to the socket now. */
    void delivered(long createdAtMillis) {
        deliveryLatency.record(Math.max(0, clock.millis() - createdAtMillis), TimeUnit.MILLISECONDS);
    }

    void dropped(Drop reason) {
        dropped.get(reason).increment();
    }

    void frameTooBig() {
        framesTooBig.increment();
    }

    /** The outcome of one handshake; only the first one counts. */
    final class Handshake {

        private final AtomicBoolean counted = new AtomicBoolean();

        void ok() {
            count(OK);
        }

        void failed(ErrorCode code) {
            count(code.wire());
        }

        /** The connection ended: a handshake without an outcome yet was abandoned. */
        void ended() {
            count(ABANDONED);
        }

        private void count(String outcome) {
            if (counted.compareAndSet(false, true)) {
                handshakes.get(outcome).increment();
            }
        }
    }
}
