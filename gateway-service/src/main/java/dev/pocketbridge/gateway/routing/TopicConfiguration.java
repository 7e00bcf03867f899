package dev.pocketbridge.gateway.routing;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.TopicDeclarations;

/** The topics the gateway produces and therefore declares. */
@Configuration(proxyBeanMethods = false)
class TopicConfiguration {

    @Bean
    NewTopic eventsInboundTopic(RoutingProperties p) {
        return TopicDeclarations.topic(Topics.EVENTS_INBOUND, p.eventsInboundPartitions());
    }

    @Bean
    NewTopic acksTopic(RoutingProperties p) {
        return TopicDeclarations.topic(Topics.ACKS, p.acksPartitions());
    }

    @Bean
    NewTopic presenceTopic(RoutingProperties p) {
        return TopicDeclarations.compacted(Topics.PRESENCE, p.presencePartitions());
    }
}
