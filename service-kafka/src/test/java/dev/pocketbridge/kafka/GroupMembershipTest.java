package dev.pocketbridge.kafka;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

import dev.pocketbridge.testsupport.SharedKafka;

/**
 * Static members against a real broker, with a session timeout far above what the assertions
 * wait: a member that closes leaves at once, and one that comes back takes its partitions back at
 * once. Without {@link GroupMembership#leaveOnClose()}, Kafka keeps a closed static member's
 * partitions until its session times out.
 */
class GroupMembershipTest {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration WELL_BEFORE_THE_SESSION_TIMEOUT = Duration.ofSeconds(15);
    private static final String TOPIC = "group-membership-" + UUID.randomUUID();

    @BeforeAll
    static void topic() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
        }
    }

    @Test
    void aStaticMemberThatClosesLeavesAtOnceAndTheOtherTakesItsPartitions() {
        String group = "leave-" + UUID.randomUUID();
        Consumer<String, String> a = consumer(group, "a", true);
        Consumer<String, String> b = consumer(group, "b", true);
        try {
            awaitAssignedTogether(a, b, 2);

            a.close();

            await().atMost(WELL_BEFORE_THE_SESSION_TIMEOUT).until(() -> {
                b.poll(Duration.ofMillis(100));
                return b.assignment().size() == 2;
            });
        } finally {
            b.close();
        }
    }

    @Test
    void aStaticMemberThatComesBackAfterACrashTakesItsPartitionsBackAtOnce() {
        String group = "rejoin-" + UUID.randomUUID();
        Consumer<String, String> a = consumer(group, "a", false);
        Consumer<String, String> b = consumer(group, "b", false);
        try {
            awaitAssignedTogether(a, b, 2);
            Set<TopicPartition> before = Set.copyOf(a.assignment());
            // What a crash leaves behind: the member stays in the group (no leave is sent).
            a.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));

            Consumer<String, String> again = consumer(group, "a", false);
            try {
                await().atMost(WELL_BEFORE_THE_SESSION_TIMEOUT).until(() -> {
                    again.poll(Duration.ofMillis(100));
                    return again.assignment().equals(before);
                });
            } finally {
                again.close();
            }
        } finally {
            b.close();
        }
    }

    private static void awaitAssignedTogether(Consumer<String, String> a, Consumer<String, String> b, int partitions) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            a.poll(Duration.ofMillis(100));
            b.poll(Duration.ofMillis(100));
            return a.assignment().size() + b.assignment().size() == partitions && !a.assignment().isEmpty()
                    && !b.assignment().isEmpty();
        });
    }

    private static Consumer<String, String> consumer(String group, String instance, boolean leaveOnClose) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
        DefaultKafkaConsumerFactory<String, String> factory = new DefaultKafkaConsumerFactory<>(config,
                new StringDeserializer(), new StringDeserializer());
        if (leaveOnClose) {
            factory.addPostProcessor(GroupMembership.leaveOnClose());
        }
        Consumer<String, String> consumer = factory.createConsumer();
        consumer.subscribe(List.of(TOPIC));
        return consumer;
    }
}
