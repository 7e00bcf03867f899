package dev.pocketbridge.device.account;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.TopicDeclarations;
import dev.pocketbridge.kafka.TopicRetentionProperties;

/** device-service owns the account-change topics and {@code devices.credentials}: it is their one producer. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AccountProperties.class, TopicRetentionProperties.class})
class AccountTopicsConfiguration {

    @Bean
    NewTopic devicesTopic(AccountProperties properties, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.DEVICES, properties.partitions(), retention.accountChanges());
    }

    @Bean
    NewTopic deviceCredentialsTopic(AccountProperties properties, TopicRetentionProperties retention) {
        return TopicDeclarations.compacted(Topics.DEVICE_CREDENTIALS, properties.partitions(),
                retention.credentialTombstones());
    }

    @Bean
    NewTopic usersTopic(AccountProperties properties, TopicRetentionProperties retention) {
        return TopicDeclarations.topic(Topics.USERS, properties.partitions(), retention.accountChanges());
    }
}
