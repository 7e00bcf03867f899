package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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
    void keepsTheHelloAndItsLookupUntilTheHandshakeEnds() {
        Handshake.HelloOutcome.Accepted accepted = new Handshake.HelloOutcome.Accepted(
                new ClientFrame.ClientHello(1, "user", "device", "nonce-c"),
                new ServerFrame.ServerHello("session", "nonce-s", 1L, "server-key", "server-signature"));
        AtomicInteger asked = new AtomicInteger();
        pending.helloAccepted(accepted, Mono.fromSupplier(() -> {
            asked.incrementAndGet();
            return new DeviceLookup.NotFound();
        }));
        assertThat(asked).as("the lookup starts with the hello").hasValue(1);

        assertThat(pending.hello()).isSameAs(accepted);
        assertThat(pending.lookup().block()).isInstanceOf(DeviceLookup.NotFound.class);
        assertThat(asked).as("its answer is kept, not asked again").hasValue(1);

        pending.end();
        assertThat(pending.hello()).isNull();
        assertThat(pending.lookup()).isNull();
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
}
