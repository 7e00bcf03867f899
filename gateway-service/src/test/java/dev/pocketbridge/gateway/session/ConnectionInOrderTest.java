package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class ConnectionInOrderTest {

    @Test
    void handlesEachMessageOnceTheWorkOfTheOneBeforeIsDone() {
        Sinks.Many<String> messages = Sinks.many().unicast().onBackpressureBuffer();
        List<String> done = new CopyOnWriteArrayList<>();
        Sinks.One<Void> slow = Sinks.one();
        Disposable running = Connection.inOrder(messages.asFlux(), message -> message.equals("first")
                ? slow.asMono().doOnSuccess(v -> done.add(message))
                : Mono.fromRunnable(() -> done.add(message))).subscribe();

        messages.tryEmitNext("first");
        messages.tryEmitNext("second");
        assertThat(done).as("the second waits for the first's work").isEmpty();
        slow.tryEmitEmpty();
        assertThat(done).containsExactly("first", "second");
        running.dispose();
    }

    /** What the last work held is let go once it ended, though no later work came to replace it. */
    @Test
    void theLastWorkLetsGoOfWhatItHeldWhenItEnds() {
        Sinks.Many<byte[]> messages = Sinks.many().unicast().onBackpressureBuffer();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        Disposable running = Connection.inOrder(messages.asFlux(),
                payload -> Mono.defer(() -> Mono.just(payload.length)).doOnNext(sizes::add).then()).subscribe();
        byte[] payload = new byte[1 << 20];
        WeakReference<byte[]> held = new WeakReference<>(payload);
        messages.tryEmitNext(payload);
        payload = null;
        assertThat(sizes).containsExactly(1 << 20);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            System.gc();
            return held.get() == null;
        });
        running.dispose();
    }
}
