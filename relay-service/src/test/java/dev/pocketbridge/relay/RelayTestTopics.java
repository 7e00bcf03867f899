package dev.pocketbridge.relay;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;

import dev.pocketbridge.common.kafka.Topics;

/**
 * The topics relay consumes but other services own (gateway: {@code presence}; event-service:
 * {@code events.stored}; device-service: {@code devices}, {@code users}), declared as their owners do
 * so that the listeners find them at start.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RelayTestTopics {

    @Bean
    NewTopic testPresenceTopic() {
        return TopicBuilder.name(Topics.PRESENCE).partitions(6).compact().build();
    }

    @Bean
    NewTopic testEventsStoredTopic() {
        return TopicBuilder.name(Topics.EVENTS_STORED).partitions(12).config("max.message.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES)).build();
    }

    @Bean
    NewTopic testDevicesTopic() {
        return TopicBuilder.name(Topics.DEVICES).partitions(4).build();
    }

    @Bean
    NewTopic testUsersTopic() {
        return TopicBuilder.name(Topics.USERS).partitions(4).build();
    }
}
