package dev.pocketbridge.gateway.routing;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.pocketbridge.common.kafka.Topics;

/** The topics the gateway produces and therefore declares (the brief's topic ownership). */
@Configuration(proxyBeanMethods = false)
class TopicConfiguration {

    @Bean
    NewTopic eventsInboundTopic(RoutingProperties p) {
        return TopicBuilder.name(Topics.EVENTS_INBOUND).partitions(p.eventsInboundPartitions())
                .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(p.maxMessageBytes())).build();
    }

    @Bean
    NewTopic acksTopic(RoutingProperties p) {
        return TopicBuilder.name(Topics.ACKS).partitions(p.acksPartitions())
                .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(p.maxMessageBytes())).build();
    }

    @Bean
    NewTopic presenceTopic(RoutingProperties p) {
        return TopicBuilder.name(Topics.PRESENCE).partitions(p.presencePartitions()).compact()
                .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(p.maxMessageBytes())).build();
    }
}
