package dev.pocketbridge.gateway.session;

import org.slf4j.MDC;

import dev.pocketbridge.common.ids.LogIds;

/**
 * The ids the log lines of one WebSocket session carry: its user and device, shortened
 * ({@link LogIds}). One per {@link Connection}, filled in once, when its hello names them
 * ({@link #identify}), and put in the logging context (MDC) only where the connection handles
 * something: a frame, the answer of a lookup it waited for, its end ({@link #open}).
 *
 * <p>Reactor's automatic context propagation ({@code spring.reactor.context-propagation=auto})
 * would do this for every operator of every pipeline instead, and cost the gateway about a third of
 * its event throughput (docs/performance.md), so the gateway does not use it.
 */
final class SessionLogIds {

    /** The ids in the logging context until it is closed. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private volatile String user;
    private volatile String device;

    /** Names the session's user and device (once its hello does), in the current scope too. */
    void identify(String userId, String deviceId) {
        user = LogIds.shorten(userId);
        device = LogIds.shorten(deviceId);
        put(LogIds.USER_ID, user);
        put(LogIds.DEVICE_ID, device);
    }

    /** Puts the ids (those known yet) in the current thread's logging context until the scope closes. */
    Scope open() {
        put(LogIds.USER_ID, user);
        put(LogIds.DEVICE_ID, device);
        return () -> {
            MDC.remove(LogIds.USER_ID);
            MDC.remove(LogIds.DEVICE_ID);
        };
    }

    /** Runs {@code work} with the ids in the logging context. */
    void run(Runnable work) {
        try (Scope scope = open()) {
            work.run();
        }
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
