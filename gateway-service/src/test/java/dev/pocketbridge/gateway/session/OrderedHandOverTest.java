package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/**
 * A session's events reach the producer one after another, and none after one the broker did not
 * take (found by the fault suite: with the broker stopped for 30 s, an event queued behind one
 * that expired was stored once the broker was back, and the resend of the expired one was refused
 * as non_monotonic_device_seq).
 */
class OrderedHandOverTest {

    private final OrderedHandOver handOver = new OrderedHandOver(Runnable::run);
    private final List<String> sent = new ArrayList<>();

    @Test
    void anEventIsHandedOverOnlyOnceTheBrokerHasTheOneBefore() {
        CompletableFuture<Object> first = new CompletableFuture<>();
        CompletableFuture<?> firstDone = handOver.next(send("e1", first));
        CompletableFuture<?> secondDone = handOver.next(send("e2", CompletableFuture.completedFuture("ok")));

        assertThat(sent).containsExactly("e1");
        assertThat(secondDone).isNotDone();

        first.complete("ok");

        assertThat(sent).containsExactly("e1", "e2");
        assertThat(firstDone).isCompleted();
        assertThat(secondDone).isCompleted();
    }

    @Test
    void nothingIsHandedOverAfterAnEventTheBrokerDidNotTake() {
        CompletableFuture<Object> first = new CompletableFuture<>();
        CompletableFuture<?> firstDone = handOver.next(send("e1", first));
        CompletableFuture<?> secondDone = handOver.next(send("e2", CompletableFuture.completedFuture("ok")));

        first.completeExceptionally(new IllegalStateException("delivery timeout"));
        CompletableFuture<?> thirdDone = handOver.next(send("e3", CompletableFuture.completedFuture("ok")));

        assertThat(sent).containsExactly("e1");
        assertThat(firstDone).isCompletedExceptionally();
        assertThat(secondDone).isCompletedExceptionally();
        assertThat(thirdDone).isCompletedExceptionally();
    }

    @Test
    void aSendThatFailsAtOnceFailsItsEventAndHoldsBackTheLaterOnes() {
        CompletableFuture<?> firstDone = handOver.next(() -> {
            sent.add("e1");
            throw new IllegalStateException("no metadata in time");
        });
        CompletableFuture<?> secondDone = handOver.next(send("e2", CompletableFuture.completedFuture("ok")));

        assertThat(sent).containsExactly("e1");
        assertThat(firstDone).isCompletedExceptionally();
        assertThat(secondDone).isCompletedExceptionally();
    }

    private java.util.function.Supplier<CompletableFuture<?>> send(String event, CompletableFuture<?> broker) {
        return () -> {
            sent.add(event);
            return broker;
        };
    }
}
