package dev.pocketbridge.gateway.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.pocketbridge.common.internal.InternalApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
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
 * <p>A request cancelled while it waits (its handshake ended) is left out of the next call. At most
 * {@code maxWaiting} requests wait: one more fails at once with {@link Full}, so a callee that stops
 * answering, under a flood of handshakes, costs bounded memory and quick refusals, not a queue that
 * grows until the calls time out.
 *
 * <p>Meters (docs/monitoring.md), tagged {@code call} with the name given: {@link #BATCH_SIZE}, the
 * requests each call carried, and {@link #REFUSED}, the requests refused as {@link Full}.
 *
 * @param <K> what a request asks about
 * @param <V> its answer
 */
public final class BatchedCalls<K, V> {

    /** The requests each call carried (a distribution summary). */
    public static final String BATCH_SIZE = "pocketbridge.gateway.internal.batch.size";
    /** The requests refused because {@code maxWaiting} already waited (a counter). */
    public static final String REFUSED = "pocketbridge.gateway.internal.batch.refused";

    /**
     * Calls of one kind out at once to an internal API ({@link #internal}): one is answered while the
     * next gathers the requests made meanwhile (docs/performance.md, "Internal calls in batches").
     */
    public static final int INTERNAL_CALLS_IN_FLIGHT = 2;
    /** Requests that may wait for a call to an internal API: eight full batches. */
    public static final int INTERNAL_MAX_WAITING = 8 * InternalApi.MAX_BATCH;

    /** The error of a request made while {@code maxWaiting} requests already wait. */
    public static final class Full extends RuntimeException {

        Full(int maxWaiting) {
            super(maxWaiting + " requests are already waiting for a batch call", null, false, false);
        }
    }

    private static final class Waiting<K, V> {

        final K key;
        final MonoSink<V> sink;
        volatile boolean cancelled;

        Waiting(K key, MonoSink<V> sink) {
            this.key = key;
            this.sink = sink;
        }
    }

    private final Function<List<K>, Mono<List<V>>> call;
    private final int maxBatch;
    private final int maxInFlight;
    private final int maxWaiting;
    private final DistributionSummary batchSizes;
    private final Counter refused;
    private final ArrayDeque<Waiting<K, V>> waiting = new ArrayDeque<>();
    private int inFlight;

    /** @param name the {@code call} tag of the meters */
    public BatchedCalls(String name, int maxBatch, int maxInFlight, int maxWaiting, MeterRegistry meters,
            Function<List<K>, Mono<List<V>>> call) {
        if (maxBatch < 1 || maxInFlight < 1 || maxWaiting < 1) {
            throw new IllegalArgumentException("maxBatch, maxInFlight and maxWaiting must be positive");
        }
        this.call = call;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.maxWaiting = maxWaiting;
        this.batchSizes = DistributionSummary.builder(BATCH_SIZE).tag("call", name)
                .description("requests carried by one internal batch call").register(meters);
        this.refused = Counter.builder(REFUSED).tag("call", name)
                .description("requests refused because too many waited for an internal batch call").register(meters);
    }

    /**
     * Batched calls to one of the internal API's batch endpoints: {@link InternalApi#MAX_BATCH} requests
     * per call, {@link #INTERNAL_CALLS_IN_FLIGHT} calls out, {@link #INTERNAL_MAX_WAITING} waiting.
     */
    public static <K, V> BatchedCalls<K, V> internal(String name, MeterRegistry meters,
            Function<List<K>, Mono<List<V>>> call) {
        return new BatchedCalls<>(name, InternalApi.MAX_BATCH, INTERNAL_CALLS_IN_FLIGHT, INTERNAL_MAX_WAITING, meters, call);
    }

    /** The answer about {@code key}, from the next call that has room for it; {@link Full} when too many wait. */
    public Mono<V> get(K key) {
        return Mono.create(sink -> {
            Waiting<K, V> request = new Waiting<>(key, sink);
            sink.onCancel(() -> request.cancelled = true);
            synchronized (this) {
                if (waiting.size() >= maxWaiting) {
                    refused.increment();
                    sink.error(new Full(maxWaiting));
                    return;
                }
                waiting.add(request);
            }
            sendWhileRoom();
        });
    }

    private void sendWhileRoom() {
        while (true) {
            List<Waiting<K, V>> batch;
            synchronized (this) {
                waiting.removeIf(request -> request.cancelled);
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
        batchSizes.record(batch.size());
        Mono<List<V>> answer;
        try {
            answer = call.apply(batch.stream().map(request -> request.key).toList());
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
                        batch.forEach(request -> request.sink.error(wrong));
                        return;
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).sink.success(values.get(i));
                    }
                }, error -> batch.forEach(request -> request.sink.error(error)));
    }
}
