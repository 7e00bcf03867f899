package dev.pocketbridge.gateway.session;

import java.time.Duration;
import java.util.function.Consumer;

import dev.pocketbridge.common.protocol.ServerFrame;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** A session's end of life (PROTOCOL.md §3.5): the {@code session_expiring} notice, then the close. */
final class SessionExpiry {

    private SessionExpiry() {
    }

    /**
     * Schedules the notice {@code warning} before {@code maxAge} (none when the session is younger
     * than that) and {@code expire} at {@code maxAge}; dispose the result when the connection ends.
     */
    static Disposable schedule(Duration maxAge, Duration warning, long expiresAt, Consumer<ServerFrame> send,
            Runnable expire, Scheduler timers) {
        Duration warnIn = maxAge.minus(warning);
        // One timer at a time, not two side by side: every idle session holds this chain.
        Mono<Long> end = warnIn.isNegative()
                ? Mono.delay(maxAge, timers)
                : Mono.delay(warnIn, timers)
                        .doOnNext(t -> send.accept(new ServerFrame.SessionExpiring(expiresAt)))
                        .then(Mono.delay(maxAge.minus(warnIn), timers));
        return end.subscribe(t -> expire.run());
    }
}
