package dev.pocketbridge.kafka;

import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * The container factories of the listeners that act best effort, beside the ordered consumers'
 * ({@link OrderedConsumption}): one way to build each kind, for every service.
 */
public final class ListenerContainers {

    private ListenerContainers() {
    }

    /**
     * No retries and no dead letters: whatever escapes the listener is logged and its record (or
     * batch) skipped, so the topic never blocks (account changes at the gateways, a compacted view).
     */
    public static ConcurrentKafkaListenerContainerFactory<Object, Object> bestEffort(
            ConsumerFactory<Object, Object> consumerFactory) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        factory.setCommonErrorHandler(new CommonLoggingErrorHandler());
        return factory;
    }

    /**
     * A view rebuilt from the beginning of a compacted topic at every start, in a group of its own
     * instance: {@link #bestEffort}, and no offset is ever committed (it would only linger on the
     * broker until offsets retention drops it).
     */
    public static ConcurrentKafkaListenerContainerFactory<Object, Object> compactedView(
            ConsumerFactory<Object, Object> consumerFactory) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = bestEffort(consumerFactory);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        return factory;
    }
}
