package dev.pocketbridge.testsupport;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The shared Kafka broker as {@link KafkaConnectionDetails}. */
@TestConfiguration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails")
class KafkaConnectionConfiguration {

    @Bean
    KafkaConnectionDetails sharedKafkaConnectionDetails() {
        List<String> servers = List.of(SharedKafka.bootstrapServers());
        return () -> servers;
    }
}
