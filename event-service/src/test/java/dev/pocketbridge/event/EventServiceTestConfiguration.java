package dev.pocketbridge.event;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.testsupport.TestClockConfiguration;

/** The controllable clock of every integration test, and the topics the gateway and device-service declare in production. */
@TestConfiguration(proxyBeanMethods = false)
@Import(TestClockConfiguration.class)
public class EventServiceTestConfiguration {

    @Bean
    NewTopic inboundTopic() {
        return TopicBuilder.name(Topics.EVENTS_INBOUND).partitions(12).build();
    }

    @Bean
    NewTopic acksTopic() {
        return TopicBuilder.name(Topics.ACKS).partitions(12).build();
    }

    /** Declared by device-service in production, like {@code users}. */
    @Bean
    NewTopic devicesTopic() {
        return TopicBuilder.name(Topics.DEVICES).partitions(12).build();
    }

    @Bean
    NewTopic usersTopic() {
        return TopicBuilder.name(Topics.USERS).partitions(12).build();
    }
}
