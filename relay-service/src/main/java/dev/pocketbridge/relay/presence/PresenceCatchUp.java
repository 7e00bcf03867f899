package dev.pocketbridge.relay.presence;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.stereotype.Component;

import dev.pocketbridge.kafka.CatchUp;

/**
 * Tells when the presence view has read the topic up to where it ended at start-up, so that fan-out
 * does not run a backlog against an empty map (every device would look offline). Checked on the
 * presence consumer's thread after records and when it idles; a timeout bounds the wait (e.g. the
 * topic does not exist yet because no gateway ever started).
 */
@Component
public class PresenceCatchUp {

    private static final Logger log = LoggerFactory.getLogger(PresenceCatchUp.class);

    private final ApplicationEventPublisher events;
    private final PresenceProperties properties;
    private final AtomicBoolean caughtUp = new AtomicBoolean();
    /** Touched only on the presence consumer's thread. */
    private final CatchUp catchUp = new CatchUp();

    PresenceCatchUp(ApplicationEventPublisher events, PresenceProperties properties) {
        this.events = events;
        this.properties = properties;
    }

    /** Whether the view has caught up (or the wait timed out). */
    public boolean isCaughtUp() {
        return caughtUp.get();
    }

    /** Compares the consumer's positions with the end offsets seen at the first check. Consumer thread only. */
    void check(Consumer<?, ?> consumer) {
        if (!caughtUp.get() && catchUp.reached(consumer)) {
            finish(false);
        }
    }

    @EventListener(condition = "#event.listenerId.startsWith('" + PresenceListener.ID + "')")
    void onIdle(ListenerContainerIdleEvent event) {
        check(event.getConsumer());
    }

    /**
     * On a thread of its own that keeps the application's class loader: the shared fork-join pool
     * has the system class loader, with which Kafka cannot load its classes in the packaged jar,
     * so the fan-out listener started from there would fail to create its consumer.
     */
    @EventListener(ApplicationReadyEvent.class)
    void startTimeout() {
        ClassLoader applicationLoader = Thread.currentThread().getContextClassLoader();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "presence-catch-up-timeout");
            thread.setDaemon(true);
            thread.setContextClassLoader(applicationLoader);
            return thread;
        });
        timer.schedule(() -> finish(true), properties.catchUpTimeout().toMillis(), TimeUnit.MILLISECONDS);
        timer.shutdown();
    }

    private void finish(boolean timedOut) {
        if (caughtUp.compareAndSet(false, true)) {
            if (timedOut) {
                log.warn("presence view not caught up after {}; fanning out with what it holds", properties.catchUpTimeout());
            } else {
                log.info("presence view caught up");
            }
            events.publishEvent(new PresenceCaughtUp(timedOut));
        }
    }
}
