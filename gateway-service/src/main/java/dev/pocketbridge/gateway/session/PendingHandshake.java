package dev.pocketbridge.gateway.session;

import java.time.Duration;
import java.util.function.BiFunction;

import dev.pocketbridge.gateway.handshake.DeviceLookup;
import dev.pocketbridge.gateway.handshake.Handshake;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * What a {@link Connection} holds only while its handshake is under way: the timeout, the accepted
 * {@code client_hello} with its nonces, and the device lookup begun with it. All of it is let go
 * once the session is established ({@link #end}), so an idle session keeps none of it.
 */
final class PendingHandshake {

    private final Disposable.Composite timers = Disposables.composite();
    private volatile Handshake.HelloOutcome.Accepted hello;
    private volatile Mono<DeviceLookup> lookup;

    /** Runs {@code timedOut} after {@code timeout}, unless the handshake has ended. */
    void timeOut(Duration timeout, Runnable timedOut) {
        timers.add(Mono.delay(timeout).subscribe(t -> timedOut.run()));
    }

    /** Keeps the accepted hello, and starts {@code lookup} now for {@code client_auth} to decide on. */
    void helloAccepted(Handshake.HelloOutcome.Accepted accepted, Mono<DeviceLookup> deviceLookup) {
        hello = accepted;
        lookup = deviceLookup.cache();
        timers.add(lookup.subscribe());
    }

    /**
     * Decides on {@code client_auth} with the accepted hello and the answer of the lookup
     * {@link #helloAccepted} started, once it is in; nothing when the handshake has already ended
     * (it timed out after the connection read its state, and before this).
     */
    Mono<Void> decide(BiFunction<Handshake.HelloOutcome.Accepted, DeviceLookup, Mono<Void>> decision) {
        Handshake.HelloOutcome.Accepted accepted = hello;
        Mono<DeviceLookup> answer = lookup;
        if (accepted == null || answer == null) {
            return Mono.empty();
        }
        return answer.flatMap(result -> decision.apply(accepted, result));
    }

    /** The handshake is over, whichever way: its timers stop and its state is let go. */
    void end() {
        timers.dispose();
        hello = null;
        lookup = null;
    }
}
