package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.handshake.DeviceLookup;
import dev.pocketbridge.gateway.handshake.Handshake;
import reactor.core.publisher.Mono;

class PendingHandshakeTest {

    private final PendingHandshake pending = new PendingHandshake();

    @Test
    void decidesWithTheHelloAndItsLookupUntilTheHandshakeEnds() {
        Handshake.HelloOutcome.Accepted accepted = accepted();
        AtomicInteger asked = new AtomicInteger();
        pending.helloAccepted(accepted, Mono.fromSupplier(() -> {
            asked.incrementAndGet();
            return new DeviceLookup.NotFound();
        }));
        assertThat(asked).as("the lookup starts with the hello").hasValue(1);

        List<Object> decided = new ArrayList<>();
        pending.decide((hello, result) -> Mono.fromRunnable(() -> decided.addAll(List.of(hello, result)))).block();
        assertThat(decided).hasSize(2).first().isSameAs(accepted);
        assertThat(decided.get(1)).isInstanceOf(DeviceLookup.NotFound.class);
        pending.decide((hello, result) -> Mono.empty()).block();
        assertThat(asked).as("its answer is kept, not asked again").hasValue(1);
    }

    @Test
    void aClientAuthReadAfterTheHandshakeEndedDecidesNothing() {
        // A handshake timeout can end it after the connection read its state and before the
        // client_auth is decided: that decision must be nothing, not a failure.
        pending.helloAccepted(accepted(), Mono.just(new DeviceLookup.NotFound()));
        pending.end();

        AtomicInteger decisions = new AtomicInteger();
        pending.decide((hello, result) -> Mono.fromRunnable(decisions::incrementAndGet)).block();
        assertThat(decisions).hasValue(0);
    }

    @Test
    void theTimeoutRunsUnlessTheHandshakeEndsFirst() {
        AtomicInteger timedOut = new AtomicInteger();
        pending.timeOut(Duration.ofMillis(50), timedOut::incrementAndGet);
        PendingHandshake ended = new PendingHandshake();
        AtomicInteger endedTimedOut = new AtomicInteger();
        ended.timeOut(Duration.ofMillis(50), endedTimedOut::incrementAndGet);
        ended.end();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(timedOut).hasValue(1));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(endedTimedOut).hasValue(0));
    }

    private static Handshake.HelloOutcome.Accepted accepted() {
        return new Handshake.HelloOutcome.Accepted(
                new ClientFrame.ClientHello(1, "user", "device", "nonce-c"),
                new ServerFrame.ServerHello("session", "nonce-s", 1L, "server-key", "server-signature"));
    }
}
