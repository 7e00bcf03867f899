package dev.pocketbridge.kafka;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one lag metric of every Kafka consumer of every service, {@value #METRIC} tagged with its
 * {@code listener} (the container's id): the records between each assigned partition's end and the
 * consumer's position, as the consumer saw them at its last fetch (the Kafka client's own
 * {@code records-lag} per partition, summed). It needs no committed offsets, so it covers group
 * listeners, listeners with a throw-away group and manually assigned consumers alike. A stopped
 * container reports 0 (its {@code pocketbridge.kafka.consumer.stalled} and readiness say it stopped).
 * <p>
 * Every {@code @KafkaListener} container is registered when the application starts (the bean
 * service-kafka declares); a container made by hand registers itself with {@link #register}.
 */
public final class ConsumerLag implements SmartLifecycle {

    public static final String METRIC = "pocketbridge.kafka.consumer.lag";

    private static final String FETCH_MANAGER = "consumer-fetch-manager-metrics";
    private static final String RECORDS_LAG = "records-lag";

    private final ObjectProvider<KafkaListenerEndpointRegistry> listeners;
    private final ObjectProvider<MeterRegistry> meters;
    private volatile boolean running;

    /** Either may be missing (no listener, no metrics): then nothing is registered. */
    ConsumerLag(ObjectProvider<KafkaListenerEndpointRegistry> listeners, ObjectProvider<MeterRegistry> meters) {
        this.listeners = listeners;
        this.meters = meters;
    }

    /** Registers the lag of the container {@code container} supplies now (it may be replaced, or null). */
    public static void register(MeterRegistry meters, String listener, Supplier<MessageListenerContainer> container) {
        Gauge.builder(METRIC, container, c -> lagOf(c.get())).tag("listener", listener).strongReference(true)
                .description("Records between the end of the consumer's assigned partitions and its position")
                .register(meters);
    }

    /** The summed {@code records-lag} of a container's consumers; 0 when it has none running. */
    static double lagOf(MessageListenerContainer container) {
        if (container == null) {
            return 0;
        }
        double lag = 0;
        for (Map<MetricName, ? extends Metric> client : container.metrics().values()) {
            for (Map.Entry<MetricName, ? extends Metric> metric : client.entrySet()) {
                MetricName name = metric.getKey();
                if (RECORDS_LAG.equals(name.name()) && FETCH_MANAGER.equals(name.group())
                        && name.tags().containsKey("partition")
                        && metric.getValue().metricValue() instanceof Number value
                        && Double.isFinite(value.doubleValue())) {
                    lag += value.doubleValue();
                }
            }
        }
        return lag;
    }

    /** Registers every {@code @KafkaListener} container: by now all of them are in the registry. */
    @Override
    public void start() {
        KafkaListenerEndpointRegistry registry = listeners.getIfAvailable();
        MeterRegistry registered = meters.getIfAvailable();
        if (registry != null && registered != null && !running) {
            for (String id : registry.getListenerContainerIds()) {
                register(registered, id, () -> registry.getListenerContainer(id));
            }
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
