package dev.pocketbridge.gateway.session;

import org.slf4j.MDC;

import dev.pocketbridge.common.ids.LogIds;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import reactor.util.context.Context;

/**
 * The ids the log lines of one WebSocket session carry: its user and device, shortened
 * ({@link LogIds}). One per {@link Connection}, put in the Reactor context of its pipeline once
 * ({@link #context}) and filled in once, when its hello names them ({@link #identify}); with
 * Reactor's automatic context propagation ({@code spring.reactor.context-propagation=auto}) every
 * operator of the pipeline, on whatever thread, has them in the logging context (MDC).
 */
final class SessionLogIds {

    static final String KEY = "pocketbridge.session.log-ids";
    private static final ThreadLocal<SessionLogIds> CURRENT = new ThreadLocal<>();

    static {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new Accessor());
    }

    private volatile String user;
    private volatile String device;

    /** The Reactor context that carries these ids. */
    Context context() {
        return Context.of(KEY, this);
    }

    /** Names the session's user and device (once its hello does); the current thread logs them at once. */
    void identify(String userId, String deviceId) {
        user = LogIds.shorten(userId);
        device = LogIds.shorten(deviceId);
        if (CURRENT.get() == this) {
            apply();
        }
    }

    private void apply() {
        put(LogIds.USER_ID, user);
        put(LogIds.DEVICE_ID, device);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** Moves the ids between the Reactor context and the thread that runs an operator. */
    private static final class Accessor implements ThreadLocalAccessor<SessionLogIds> {

        @Override
        public Object key() {
            return KEY;
        }

        @Override
        public SessionLogIds getValue() {
            return CURRENT.get();
        }

        @Override
        public void setValue(SessionLogIds ids) {
            CURRENT.set(ids);
            ids.apply();
        }

        @Override
        public void setValue() {
            CURRENT.remove();
            MDC.remove(LogIds.USER_ID);
            MDC.remove(LogIds.DEVICE_ID);
        }
    }
}
