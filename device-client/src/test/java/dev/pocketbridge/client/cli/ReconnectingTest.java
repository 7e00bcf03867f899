package dev.pocketbridge.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.ApiError;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.HandshakeException;
import dev.pocketbridge.common.protocol.CloseCodes;

class ReconnectingTest {

    /** Time that only the pauses move. */
    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> pauses = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger tries = new AtomicInteger();

    private DeviceSession connect(Duration patience, RuntimeException failure, int failures) {
        return Reconnecting.connect(() -> {
            if (tries.incrementAndGet() <= failures) {
                throw failure;
            }
            return null; // stands for the session: nothing here reads it
        }, patience, new PrintStream(err, true, StandardCharsets.UTF_8), nanos::get, d -> {
            pauses.add(d);
            nanos.addAndGet(d.toNanos());
        });
    }

    private static ApiError apiError(int status) {
        return new ApiError(status, "problem", "detail", "request-1", null);
    }

    private static HandshakeException closedWith(String code, int closeCode) {
        return new HandshakeException(code, "event log unavailable; retry later", closeCode, "", null);
    }

    @Test
    void aServerThatIsBusyIsTriedAgainWithPausesDoublingUpToEightSeconds() {
        connect(Duration.ofSeconds(60), closedWith("unavailable", CloseCodes.TRY_AGAIN_LATER), 5);

        assertThat(tries).hasValue(6);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(8));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "cannot connect yet (unavailable: event log unavailable; retry later (close 1013)); trying again in 1 s");
    }

    @Test
    void itGivesUpWithTheLastFailureOnceTheNextTryWouldStartAfterItsPatience() {
        HandshakeException down = closedWith(HandshakeException.CONNECT_FAILED, HandshakeException.NOT_CLOSED);

        assertThatThrownBy(() -> connect(Duration.ofSeconds(10), down, 100)).isSameAs(down);
        assertThat(pauses).as("1 + 2 + 4 s; 8 more would end after 10 s").hasSize(3);
    }

    @Test
    void aGatewayThatIsDownOrUnreadyIsTriedAgainToo() {
        connect(Duration.ofSeconds(60), new UncheckedIOException(new ConnectException("Connection refused")), 2);
        assertThat(tries).hasValue(3);

        assertThat(Reconnecting.retryable(apiError(503))).isTrue();
        assertThat(Reconnecting.retryable(apiError(429))).isTrue();
        assertThat(Reconnecting.retryable(apiError(401))).isFalse();
        assertThat(Reconnecting.retryable(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void refusedCredentialsAreNotTriedAgain() {
        HandshakeException refused = closedWith("authentication_failed", CloseCodes.POLICY_VIOLATION);

        assertThatThrownBy(() -> connect(Duration.ofSeconds(60), refused, 1)).isSameAs(refused);
        assertThat(tries).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void onlyClosesThatANewSessionCanOutliveAreWorthReconnecting() {
        assertThat(List.of(CloseCodes.GOING_AWAY, CloseCodes.INTERNAL_ERROR, DeviceSession.ABNORMAL_CLOSURE,
                CloseCodes.TRY_AGAIN_LATER, CloseCodes.TOO_MANY_HANDSHAKES, CloseCodes.SESSION_EXPIRED,
                CloseCodes.HANDSHAKE_TIMEOUT)).allMatch(Reconnecting::worthReconnecting);
        assertThat(List.of(CloseCodes.NORMAL, CloseCodes.POLICY_VIOLATION, CloseCodes.TOO_BIG,
                CloseCodes.DEVICE_REVOKED, CloseCodes.SUPERSEDED)).noneMatch(Reconnecting::worthReconnecting);
    }
}
