package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The gateway's session meters: bounded tags, every series present from the start, a handshake counted once. */
class GatewayMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(meters, Clock.systemUTC());

    private double handshakes(String outcome) {
        return meters.get(GatewayMetrics.HANDSHAKES).tag("outcome", outcome).counter().count();
    }

    private double rejected(String code) {
        return meters.get(GatewayMetrics.EVENTS_REJECTED).tag("code", code).counter().count();
    }

    @Test
    void everySeriesExistsAtZeroBeforeItMoves() {
        assertThat(meters.get(GatewayMetrics.HANDSHAKES).counters()).hasSize(ErrorCode.values().length + 2);
        assertThat(meters.get(GatewayMetrics.EVENTS_REJECTED).counters()).hasSize(RejectCode.values().length + 1);
        assertThat(meters.get(GatewayMetrics.DELIVERIES_DROPPED).counters()).hasSize(GatewayMetrics.Drop.values().length);
        assertThat(meters.getMeters()).allSatisfy(m -> m.measure().forEach(s -> assertThat(s.getValue()).isZero()));
    }

    @Test
    void aHandshakeCountsByItsFirstOutcomeOnly() {
        GatewayMetrics.Handshake established = metrics.handshake();
        established.ok();
        established.failed(ErrorCode.PROTOCOL_ERROR); // a protocol error later in the session
        established.ended();

        GatewayMetrics.Handshake refused = metrics.handshake();
        refused.failed(ErrorCode.AUTHENTICATION_FAILED);
        refused.ended();

        metrics.handshake().ended();

        assertThat(handshakes(GatewayMetrics.OK)).isEqualTo(1);
        assertThat(handshakes("authentication_failed")).isEqualTo(1);
        assertThat(handshakes(GatewayMetrics.ABANDONED)).isEqualTo(1);
        assertThat(handshakes("protocol_error")).isZero();
    }

    @Test
    void framesSentCountAcceptedAndRejectedEventsByCodeAndReplayPages() {
        List.of(new ServerFrame.EventAck("e1", 1, 1, 1, ServerFrame.EventAck.STORED, false),
                new ServerFrame.EventRejected("e2", 2L, "backpressure", "busy", 1000L),
                new ServerFrame.EventRejected("e3", 3L, "backpressure", "busy", 1000L),
                new ServerFrame.EventRejected("e4", 4L, "from a newer server", "?", null),
                new ServerFrame.Error("protocol_error", "not an event outcome")).forEach(metrics::sent);
        metrics.replayPageSent();

        assertThat(meters.get(GatewayMetrics.EVENTS_ACCEPTED).counter().count()).isEqualTo(1);
        assertThat(rejected("backpressure")).isEqualTo(2);
        assertThat(rejected("other")).as("an unknown code does not make a new series").isEqualTo(1);
        assertThat(meters.get(GatewayMetrics.REPLAY_PAGES).counter().count()).isEqualTo(1);
    }
}
