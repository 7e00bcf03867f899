package dev.pocketbridge.gateway.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class BatchedCallsTest {

    /** The calls made, each with its keys, answered by the test through its sink. */
    private final List<Call> calls = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private record Call(List<String> keys, Sinks.One<List<String>> answer) {

        void answerUpperCase() {
            answer.tryEmitValue(keys.stream().map(String::toUpperCase).toList());
        }
    }

    private BatchedCalls<String, String> batched(int maxBatch, int maxInFlight) {
        return batched(maxBatch, maxInFlight, 100);
    }

    private BatchedCalls<String, String> batched(int maxBatch, int maxInFlight, int maxWaiting) {
        return new BatchedCalls<>("test", maxBatch, maxInFlight, maxWaiting, meters, keys -> {
            Sinks.One<List<String>> answer = Sinks.one();
            synchronized (calls) {
                calls.add(new Call(keys, answer));
            }
            return answer.asMono();
        });
    }

    private static CompletableFuture<String> ask(BatchedCalls<String, String> batched, String key) {
        return batched.get(key).toFuture();
    }

    @Test
    void aRequestWithRoomIsSentAtOnceAsACallOfItsOwn() {
        BatchedCalls<String, String> batched = batched(10, 2);

        CompletableFuture<String> a = ask(batched, "a");
        CompletableFuture<String> b = ask(batched, "b");

        assertThat(calls).extracting(Call::keys).containsExactly(List.of("a"), List.of("b"));
        calls.get(1).answerUpperCase();
        calls.get(0).answerUpperCase();
        assertThat(a).isCompletedWithValue("A");
        assertThat(b).isCompletedWithValue("B");
    }

    @Test
    void requestsMadeWhileCallsAreOutShareTheNextCallsInTheirOrder() {
        BatchedCalls<String, String> batched = batched(3, 1);
        CompletableFuture<String> first = ask(batched, "first");
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (String key : List.of("k1", "k2", "k3", "k4", "k5")) {
            waiting.add(ask(batched, key));
        }
        assertThat(calls).hasSize(1);

        calls.get(0).answerUpperCase();

        assertThat(first).isCompletedWithValue("FIRST");
        assertThat(calls).extracting(Call::keys).containsExactly(List.of("first"), List.of("k1", "k2", "k3"));
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        calls.get(1).answerUpperCase();
        assertThat(calls).extracting(Call::keys).last().isEqualTo(List.of("k4", "k5"));
        calls.get(2).answerUpperCase();
        assertThat(waiting).extracting(f -> f.getNow(null)).containsExactly("K1", "K2", "K3", "K4", "K5");
        DistributionSummary sizes = meters.get(BatchedCalls.BATCH_SIZE).tag("call", "test").summary();
        assertThat(sizes.count()).isEqualTo(3);
        assertThat(sizes.totalAmount()).isEqualTo(6);
        assertThat(sizes.max()).isEqualTo(3);
    }

    @Test
    void aFailedCallFailsItsOwnRequestsOnlyAndTheNextCallIsSent() {
        BatchedCalls<String, String> batched = batched(10, 1);
        CompletableFuture<String> a = ask(batched, "a");
        CompletableFuture<String> b = ask(batched, "b");
        CompletableFuture<String> c = ask(batched, "c");

        calls.get(0).answer().tryEmitError(new IllegalStateException("down"));

        assertThat(a).isCompletedExceptionally();
        assertThat(calls).extracting(Call::keys).last().isEqualTo(List.of("b", "c"));
        calls.get(1).answerUpperCase();
        assertThat(b).isCompletedWithValue("B");
        assertThat(c).isCompletedWithValue("C");
    }

    @Test
    void anAnswerOfAnotherLengthOrNoneFailsTheCallsRequests() {
        BatchedCalls<String, String> batched = batched(10, 1);
        CompletableFuture<String> a = ask(batched, "a");
        CompletableFuture<String> b = ask(batched, "b");
        CompletableFuture<String> c = ask(batched, "c");

        calls.get(0).answer().tryEmitValue(List.of("A", "extra"));
        calls.get(1).answer().tryEmitEmpty();

        for (CompletableFuture<String> failed : List.of(a, b, c)) {
            assertThatThrownBy(failed::join).hasRootCauseInstanceOf(IllegalStateException.class);
        }
        assertThat(calls).hasSize(2);
    }

    @Test
    void aCallThatThrowsFailsItsRequestsAndFreesItsPlace() {
        List<List<String>> asked = new ArrayList<>();
        BatchedCalls<String, String> batched = new BatchedCalls<>("test", 10, 1, 100, meters, keys -> {
            asked.add(keys);
            if (keys.contains("boom")) {
                throw new IllegalArgumentException("boom");
            }
            return Mono.just(keys);
        });

        assertThat(batched.get("boom").onErrorResume(e -> Mono.just("failed")).block(Duration.ofSeconds(5)))
                .isEqualTo("failed");
        assertThat(batched.get("fine").block(Duration.ofSeconds(5))).isEqualTo("fine");
        assertThat(asked).containsExactly(List.of("boom"), List.of("fine"));
    }

    @Test
    void aRequestCancelledWhileItWaitsIsLeftOutOfTheNextCall() {
        BatchedCalls<String, String> batched = batched(10, 1);
        CompletableFuture<String> first = ask(batched, "first");
        CompletableFuture<String> gone = ask(batched, "gone");
        CompletableFuture<String> kept = ask(batched, "kept");

        gone.cancel(false);
        calls.get(0).answerUpperCase();

        assertThat(first).isCompletedWithValue("FIRST");
        assertThat(calls).extracting(Call::keys).last().isEqualTo(List.of("kept"));
        calls.get(1).answerUpperCase();
        assertThat(kept).isCompletedWithValue("KEPT");
    }

    @Test
    void aRequestBeyondTheMostThatMayWaitFailsAtOnce() {
        BatchedCalls<String, String> batched = batched(10, 1, 2);
        CompletableFuture<String> out = ask(batched, "out");
        CompletableFuture<String> w1 = ask(batched, "w1");
        CompletableFuture<String> w2 = ask(batched, "w2");

        CompletableFuture<String> refused = ask(batched, "refused");

        assertThatThrownBy(refused::join).hasCauseInstanceOf(BatchedCalls.Full.class);
        assertThat(meters.get(BatchedCalls.REFUSED).tag("call", "test").counter().count()).isEqualTo(1);
        calls.get(0).answerUpperCase();
        assertThat(out).isCompletedWithValue("OUT");
        assertThat(calls).extracting(Call::keys).last().isEqualTo(List.of("w1", "w2"));
        calls.get(1).answerUpperCase();
        assertThat(List.of(w1, w2)).extracting(f -> f.getNow(null)).containsExactly("W1", "W2");
        assertThat(ask(batched, "again")).isNotCompletedExceptionally();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new BatchedCalls<String, String>("test", 0, 1, 1, meters, keys -> Mono.just(keys)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchedCalls<String, String>("test", 1, 0, 1, meters, keys -> Mono.just(keys)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchedCalls<String, String>("test", 1, 1, 0, meters, keys -> Mono.just(keys)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
