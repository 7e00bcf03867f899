package dev.pocketbridge.gateway.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Single requests to another service, sent as batch calls. At most {@code maxInFlight} calls are
 * out at once; a request made meanwhile waits, and the next call carries every request then waiting
 * (at most {@code maxBatch}). Under light load each request is a call of its own, sent at once, so
 * nothing waits for a batch to fill; under load the calls grow larger rather than more numerous,
 * so the cost paid per call (HTTP, the callee's security filters, a transaction) stops growing with
 * the request rate.
 *
 * <p>{@code call} answers the keys in their order with exactly one value each, or errors; a call
 * that answers another number of values, nothing, or an error fails every request it carried.
 *
 * @param <K> what a request asks about
 * @param <V> its answer
 */
public final class BatchedCalls<K, V> {

    private record Waiting<K, V>(K key, MonoSink<V> sink) {
    }

    private final Function<List<K>, Mono<List<V>>> call;
    private final int maxBatch;
    private final int maxInFlight;
    private final ArrayDeque<Waiting<K, V>> waiting = new ArrayDeque<>();
    private int inFlight;

    public BatchedCalls(int maxBatch, int maxInFlight, Function<List<K>, Mono<List<V>>> call) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be positive");
        }
        this.call = call;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
    }

    /** The answer about {@code key}, from the next call that has room for it. */
    public Mono<V> get(K key) {
        return Mono.create(sink -> {
            synchronized (this) {
                waiting.add(new Waiting<>(key, sink));
            }
            sendWhileRoom();
        });
    }

    private void sendWhileRoom() {
        while (true) {
            List<Waiting<K, V>> batch;
            synchronized (this) {
                if (inFlight >= maxInFlight || waiting.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>(Math.min(maxBatch, waiting.size()));
                while (batch.size() < maxBatch && !waiting.isEmpty()) {
                    batch.add(waiting.poll());
                }
                inFlight++;
            }
            send(batch);
        }
    }

    private void send(List<Waiting<K, V>> batch) {
        Mono<List<V>> answer;
        try {
            answer = call.apply(batch.stream().map(Waiting::key).toList());
        } catch (RuntimeException e) {
            answer = Mono.error(e);
        }
        answer.switchIfEmpty(Mono.error(() -> new IllegalStateException("the batch call answered nothing")))
                .doFinally(signal -> {
                    synchronized (this) {
                        inFlight--;
                    }
                    sendWhileRoom();
                })
                .subscribe(values -> {
                    if (values.size() != batch.size()) {
                        IllegalStateException wrong = new IllegalStateException(
                                "the batch call answered " + values.size() + " values to " + batch.size() + " keys");
                        batch.forEach(w -> w.sink().error(wrong));
                        return;
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).sink().success(values.get(i));
                    }
                }, error -> batch.forEach(w -> w.sink().error(error)));
    }
}
