package dev.pocketbridge.relay.fanout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

import dev.pocketbridge.relay.presence.PresenceCaughtUp;

/** Starts consuming {@code events.stored} only once the presence view knows who is online. */
@Component
class FanoutStarter {

    private static final Logger log = LoggerFactory.getLogger(FanoutStarter.class);

    private final KafkaListenerEndpointRegistry registry;

    FanoutStarter(KafkaListenerEndpointRegistry registry) {
        this.registry = registry;
    }

    @EventListener
    void onPresenceCaughtUp(PresenceCaughtUp event) {
        MessageListenerContainer container = registry.getListenerContainer(StoredEventListener.ID);
        if (container != null && !container.isRunning()) {
            log.info("presence view ready: starting the events.stored listener");
            try {
                container.start();
            } catch (RuntimeException e) {
                // This may run on a timer thread, where an exception would vanish: say it.
                log.error("the events.stored listener did not start", e);
                throw e;
            }
        }
    }
}
