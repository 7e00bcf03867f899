package dev.pocketbridge.event.analytics;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerFactory;

import dev.pocketbridge.common.crypto.Pseudonyms;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.TopicDeclarations;
import dev.pocketbridge.kafka.TopicRetentionProperties;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code events.analytics} when {@code pocketbridge.analytics.enabled}: the topic (declared with the
 * others at start-up) and its publisher, which needs {@code pocketbridge.analytics.key} (the service
 * refuses to start without a valid one). Off: {@link OutcomeAnalytics#NONE}, no topic, no producer.
 */
@Configuration(proxyBeanMethods = false)
class AnalyticsConfiguration {

    static final String ENABLED = "pocketbridge.analytics.enabled";

    @Bean
    @ConditionalOnBooleanProperty(ENABLED)
    NewTopic analyticsTopic(AnalyticsProperties properties, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.EVENTS_ANALYTICS, properties.partitions(), retention.analytics(),
                retention.analyticsBytes());
    }

    @Bean
    @ConditionalOnBooleanProperty(ENABLED)
    KafkaAnalytics kafkaAnalytics(AnalyticsProperties properties, ProducerFactory<?, ?> outcomes, Clock clock,
            MeterRegistry meters) {
        Pseudonyms pseudonyms;
        try {
            pseudonyms = Pseudonyms.fromBase64Url(properties.key());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("pocketbridge.analytics.enabled is set, but pocketbridge.analytics.key is "
                    + "missing or invalid (" + e.getMessage() + "); set it, or turn analytics off", e);
        }
        // The service's producer settings (servers, security, record size), with a short block and a long
        // linger of its own: nobody waits for these records, so they go to the broker a few batches at a time.
        Map<String, Object> config = new HashMap<>(outcomes.getConfigurationProperties());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.maxBlock().toMillis());
        config.put(ProducerConfig.LINGER_MS_CONFIG, properties.linger().toMillis());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        DefaultKafkaProducerFactory<String, String> producers = new DefaultKafkaProducerFactory<>(config,
                new StringSerializer(), new StringSerializer());
        producers.setPhysicalCloseTimeout(5);
        return new KafkaAnalytics(producers, new AnalyticsRecords(pseudonyms), clock, meters);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = ENABLED, havingValue = false, matchIfMissing = true)
    OutcomeAnalytics noAnalytics() {
        return OutcomeAnalytics.NONE;
    }
}
