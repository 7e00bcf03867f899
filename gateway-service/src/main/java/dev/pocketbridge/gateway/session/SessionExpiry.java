package dev.pocketbridge.gateway.session;

import java.time.Duration;
import java.util.function.Consumer;

import dev.pocketbridge.common.protocol.ServerFrame;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/** A session's end of life (PROTOCOL.md §3.5): the {@code session_expiring} notice, then the close. */
final class SessionExpiry {

    private SessionExpiry() {
    }

    /**
     * Schedules the notice {@code warning} before {@code maxAge} (none when the session is younger
     * than that) and {@code expire} at {@code maxAge}; dispose the result when the connection ends.
     */
    static Disposable schedule(Duration maxAge, Duration warning, long expiresAt, Consumer<ServerFrame> send,
            Runnable expire) {
        Disposable.Composite timers = Disposables.composite();
        Duration warnIn = maxAge.minus(warning);
        if (!warnIn.isNegative()) {
            timers.add(Mono.delay(warnIn).subscribe(t -> send.accept(new ServerFrame.SessionExpiring(expiresAt))));
        }
        timers.add(Mono.delay(maxAge).subscribe(t -> expire.run()));
        return timers;
    }
}
