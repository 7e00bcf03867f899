package dev.pocketbridge.kafka;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

import dev.pocketbridge.common.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * What every service gets from service-kafka: the settings all of them agree on
 * ({@link PocketBridgeKafkaProperties}, {@link TopicRetentionProperties},
 * {@link ConsumerProgress.Settings}, {@link ProtocolLimitsProperties}), the lag of every listener
 * ({@link ConsumerLag}), the one way to address
 * {@code deliveries} ({@link Deliveries}), the traces of batch listeners' records
 * ({@link RecordObservations}), consumers that leave their group when they close
 * although they are static members ({@link GroupMembership#leaveOnClose()}), and record sizes from
 * {@link Topics#MAX_MESSAGE_BYTES} alone: producers send records up to it ({@code max.request.size}),
 * and consumers fetch a partition's records up to it at a time ({@code max.partition.fetch.bytes};
 * {@code fetch.max.bytes} raised to it if set lower), whatever a service's YAML says.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties({PocketBridgeKafkaProperties.class, TopicRetentionProperties.class,
        ConsumerProgress.Settings.class, ProtocolLimitsProperties.class})
public class ServiceKafkaAutoConfiguration {

    @Bean
    DefaultKafkaProducerFactoryCustomizer recordSizeOfProducers() {
        return factory -> factory.updateConfigs(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES));
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer recordSizeOfConsumers() {
        return factory -> {
            Object fetchMax = factory.getConfigurationProperties().get(ConsumerConfig.FETCH_MAX_BYTES_CONFIG);
            int fetchMaxBytes = fetchMax == null ? ConsumerConfig.DEFAULT_FETCH_MAX_BYTES
                    : Integer.parseInt(fetchMax.toString());
            factory.updateConfigs(Map.of(
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES,
                    ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Math.max(fetchMaxBytes, Topics.MAX_MESSAGE_BYTES)));
        };
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer staticMembersLeaveOnClose() {
        return factory -> factory.addPostProcessor(GroupMembership.leaveOnClose());
    }

    @Bean
    ConsumerLag consumerLag(ObjectProvider<KafkaListenerEndpointRegistry> listeners, ObjectProvider<MeterRegistry> meters) {
        return new ConsumerLag(listeners, meters);
    }

    /**
     * The containers of the default listener factory (every service's ordered, batch-at-a-time
     * listeners) commit a batch's offsets without waiting for the broker's answer: a synchronous
     * commit held each hop of the event path for the broker's group coordinator (5 ms of
     * {@code group.coordinator.append.linger.ms} and more; 7.5 ms on average here) before its next
     * poll. Offsets are still committed only once the batch is handled, and in order; a commit lost
     * in a crash means the batch is handled again, which every one of these listeners already
     * survives (a repeated event answers {@code duplicate}; the gateway drops repeated deliveries
     * by {@code seq}). At shutdown the consumer's close waits for commits still on their way; a
     * commit that a rebalance makes fail means the partition's next owner handles that batch again
     * (docs/performance.md).
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> asyncOffsetCommits() {
        return container -> container.getContainerProperties().setSyncCommits(false);
    }

    /**
     * Observes batch listeners' records as spring-kafka observes record listeners' ones: only while
     * {@code spring.kafka.listener.observation-enabled} (on by default, {@link ObservabilityDefaults}).
     */
    @Bean
    RecordObservations recordObservations(ObjectProvider<ObservationRegistry> registry, Environment environment) {
        boolean observed = environment.getProperty(ObservabilityDefaults.LISTENER_OBSERVATION, Boolean.class, false);
        return new RecordObservations(observed ? registry.getIfAvailable(() -> ObservationRegistry.NOOP)
                : ObservationRegistry.NOOP);
    }

    @Bean
    @ConditionalOnBean(KafkaTemplate.class)
    Deliveries kafkaDeliveries(KafkaTemplate<String, String> kafka, PocketBridgeKafkaProperties properties) {
        return new Deliveries(kafka, properties);
    }
}
