package dev.pocketbridge.auth;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;

import dev.pocketbridge.common.kafka.Topics;

/**
 * The topics auth-service consumes but device-service owns ({@code devices}, {@code users}), declared
 * with device-service's 4 partitions so that the listener finds them at start.
 */
@TestConfiguration(proxyBeanMethods = false)
public class AuthTestTopics {

    @Bean
    NewTopic testDevicesTopic() {
        return TopicBuilder.name(Topics.DEVICES).partitions(4).build();
    }

    @Bean
    NewTopic testUsersTopic() {
        return TopicBuilder.name(Topics.USERS).partitions(4).build();
    }
}
