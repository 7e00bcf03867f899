package dev.pocketbridge.gateway.routing;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.TopicDeclarations;
import dev.pocketbridge.kafka.TopicRetentionProperties;

/** The topics the gateway produces and therefore declares, each with its stated retention. */
@Configuration(proxyBeanMethods = false)
class TopicConfiguration {

    @Bean
    NewTopic eventsInboundTopic(RoutingProperties p, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.EVENTS_INBOUND, p.eventsInboundPartitions(), retention.eventsInbound(),
                retention.eventsInboundBytes());
    }

    @Bean
    NewTopic acksTopic(RoutingProperties p, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.ACKS, p.acksPartitions(), retention.acks());
    }

    @Bean
    NewTopic presenceTopic(RoutingProperties p, TopicRetentionProperties retention) {
        return TopicDeclarations.compacted(Topics.PRESENCE, p.presencePartitions(), retention.presenceTombstones());
    }
}
