package dev.pocketbridge.client.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.pocketbridge.client.ApiError;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.HandshakeException;
import dev.pocketbridge.common.protocol.CloseCodes;

/**
 * How the commands that hold a session ride out a server that is restarting or busy (PROTOCOL §3.6):
 * a connection that may succeed later ({@link #retryable}: the server unreachable, {@code server-info}
 * answering 429 or 5xx, a handshake {@link HandshakeException#retryable()}) is tried again after a
 * pause that doubles from 1 s to 8 s, for a bounded time, each wait said on standard error; and
 * which closes of an established session are worth a new one.
 */
final class Reconnecting {

    /** How long {@code send} keeps trying to connect. */
    static final Duration SEND_PATIENCE = Duration.ofSeconds(60);
    /** How long {@code listen} keeps trying to connect, at start and after each lost connection. */
    static final Duration LISTEN_PATIENCE = Duration.ofMinutes(10);

    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(8);

    /** Waits; tests pass one that only moves their time. */
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    static final Pause SLEEP = duration -> Thread.sleep(duration);

    private Reconnecting() {
    }

    /**
     * A session from {@code connect}, tried again while its failure is retryable and the next try
     * starts within {@code patience} of the first ({@code nanoTime}: a monotonic clock, so a change
     * of the wall clock neither shortens nor stretches it); otherwise the last failure is thrown.
     */
    static DeviceSession connect(Supplier<DeviceSession> connect, Duration patience, PrintStream err,
            LongSupplier nanoTime, Pause pause) {
        long start = nanoTime.getAsLong();
        Duration wait = FIRST_PAUSE;
        while (true) {
            try {
                return connect.get();
            } catch (RuntimeException e) {
                Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
                if (!retryable(e) || elapsed.plus(wait).compareTo(patience) > 0) {
                    throw e;
                }
                err.println("cannot connect yet (" + e.getMessage() + "); trying again in " + wait.toSeconds() + " s");
                try {
                    pause.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = wait.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : wait.multipliedBy(2);
            }
        }
    }

    /**
     * Whether connecting again later can succeed after {@code failure}: the server unreachable (an
     * {@link UncheckedIOException} of the REST client), {@code server-info} refused for the rate or
     * unavailable (429, 5xx), or a retryable handshake failure.
     */
    static boolean retryable(RuntimeException failure) {
        return switch (failure) {
            case HandshakeException e -> e.retryable();
            case ApiError e -> e.status() == 429 || e.status() >= 500;
            case UncheckedIOException e -> true;
            default -> false;
        };
    }

    /**
     * Whether a session the server closed with {@code closeCode} is worth a new one: the server went
     * away or failed (1001, 1011, 1006 when the connection just broke), was busy (1013, 4029), the
     * session expired (4001) or the handshake timed out (4008). Not a normal close, a device revoked
     * (4003), a newer session of the same device (4409), or a policy or size violation.
     */
    static boolean worthReconnecting(int closeCode) {
        return switch (closeCode) {
            case CloseCodes.GOING_AWAY, CloseCodes.INTERNAL_ERROR, DeviceSession.ABNORMAL_CLOSURE,
                    CloseCodes.TRY_AGAIN_LATER, CloseCodes.TOO_MANY_HANDSHAKES, CloseCodes.SESSION_EXPIRED,
                    CloseCodes.HANDSHAKE_TIMEOUT -> true;
            default -> false;
        };
    }
}
