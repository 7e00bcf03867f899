package dev.pocketbridge.event.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
                Topics.EVENTS_INBOUND + Topics.DEAD_LETTER_SUFFIX, Topics.ACKS + Topics.DEAD_LETTER_SUFFIX,
                Topics.USERS + Topics.DEAD_LETTER_SUFFIX, Topics.DEVICES + Topics.DEAD_LETTER_SUFFIX);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            assertThat(topics.get(Topics.EVENTS_STORED).partitions()).hasSize(12);
            assertThat(topics.get(Topics.DELIVERIES).partitions()).hasSize(16);
            for (String name : names) {
                assertThat(config(admin, name).get("max.message.bytes").value()).as(name).isEqualTo(Integer.toString(Topics.MAX_MESSAGE_BYTES));
            }
        }
    }

    @Test
    void everyTopicOfTheServiceHasItsStatedRetention() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            Config stored = config(admin, Topics.EVENTS_STORED);
            assertThat(stored.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(3).toMillis()));
            assertThat(stored.get("retention.bytes").value()).isEqualTo(Long.toString(1L << 30));
            assertThat(stored.get("segment.ms").value()).isEqualTo(Long.toString(Duration.ofDays(1).toMillis()));
            Config deliveries = config(admin, Topics.DELIVERIES);
            assertThat(deliveries.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofHours(1).toMillis()));
            assertThat(deliveries.get("retention.bytes").value()).isEqualTo(Long.toString(256L << 20));
            for (String deadLetters : List.of(Topics.EVENTS_INBOUND + Topics.DEAD_LETTER_SUFFIX,
                    Topics.ACKS + Topics.DEAD_LETTER_SUFFIX, Topics.USERS + Topics.DEAD_LETTER_SUFFIX,
                    Topics.DEVICES + Topics.DEAD_LETTER_SUFFIX)) {
                assertThat(config(admin, deadLetters).get("retention.ms").value()).as(deadLetters)
                        .isEqualTo(Long.toString(Duration.ofDays(14).toMillis()));
            }
        }
    }

    private static Config config(Admin admin, String topic) throws Exception {
        return admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                .all().get().values().iterator().next();
    }
}
