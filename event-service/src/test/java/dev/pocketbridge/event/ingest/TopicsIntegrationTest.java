package dev.pocketbridge.event.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.event.EventServiceIntegrationTest;
import dev.pocketbridge.testsupport.SharedKafka;

class TopicsIntegrationTest extends EventServiceIntegrationTest {

    @Test
    void theServiceCreatesItsTopicsWithTheirPartitionsAndMessageSize() throws Exception {
        List<String> names = List.of(Topics.EVENTS_STORED, Topics.DELIVERIES,
                Topics.EVENTS_INBOUND + Topics.DEAD_LETTER_SUFFIX, Topics.ACKS + Topics.DEAD_LETTER_SUFFIX);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            assertThat(topics.get(Topics.EVENTS_STORED).partitions()).hasSize(12);
            assertThat(topics.get(Topics.DELIVERIES).partitions()).hasSize(16);
            for (String name : names) {
                Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, name)))
                        .all().get().values().iterator().next();
                assertThat(config.get("max.message.bytes").value()).as(name).isEqualTo("4194304");
            }
        }
    }
}
