package dev.pocketbridge.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.testsupport.SharedKafka;

/** The topics the gateway declares carry their stated retention on the real broker. */
class TopicRetentionIntegrationTest extends GatewayIntegrationTest {

    @Test
    void theGatewaysTopicsHaveTheirStatedRetention() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            Config inbound = config(admin, Topics.EVENTS_INBOUND);
            assertThat(inbound.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(1).toMillis()));
            assertThat(inbound.get("retention.bytes").value()).isEqualTo(Long.toString(1L << 30));
            assertThat(config(admin, Topics.ACKS).get("retention.ms").value())
                    .isEqualTo(Long.toString(Duration.ofDays(1).toMillis()));
            Config presence = config(admin, Topics.PRESENCE);
            assertThat(presence.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(presence.get("delete.retention.ms").value())
                    .isEqualTo(Long.toString(Duration.ofDays(1).toMillis()));
        }
    }

    private static Config config(Admin admin, String topic) throws Exception {
        return admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                .all().get().values().iterator().next();
    }
}
