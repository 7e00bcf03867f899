package dev.pocketbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.CloseCodes;

/** What every service gets from service-kafka, without a broker: the factories are only configured. */
class ServiceKafkaAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, ServiceKafkaAutoConfiguration.class));

    @Test
    void producersAndConsumersTakeTheirRecordSizesFromTopicsWhateverTheYamlSays() {
        runner.withPropertyValues("spring.kafka.producer.properties.max.request.size=1048576",
                "spring.kafka.consumer.properties.max.partition.fetch.bytes=1024",
                "spring.kafka.consumer.properties.fetch.max.bytes=2048").run(context -> {
                    assertThat(context.getBean(DefaultKafkaProducerFactory.class).getConfigurationProperties())
                            .containsEntry("max.request.size", Topics.MAX_MESSAGE_BYTES);
                    assertThat(context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties())
                            .containsEntry("max.partition.fetch.bytes", Topics.MAX_MESSAGE_BYTES)
                            .containsEntry("fetch.max.bytes", Topics.MAX_MESSAGE_BYTES);
                });
    }

    @Test
    void aLargerFetchOfAllPartitionsIsKept() {
        runner.run(context -> assertThat(context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties())
                .containsEntry("max.partition.fetch.bytes", Topics.MAX_MESSAGE_BYTES)
                .containsEntry("fetch.max.bytes", 50 * 1024 * 1024));
        runner.withPropertyValues("spring.kafka.consumer.properties.fetch.max.bytes=104857600").run(context ->
                assertThat(context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties())
                        .containsEntry("fetch.max.bytes", 104857600));
    }

    @Test
    void theSharedKafkaSettingsHaveOneRecordWithDefaults() {
        runner.run(context -> {
            PocketBridgeKafkaProperties kafka = context.getBean(PocketBridgeKafkaProperties.class);
            assertThat(kafka.deliveriesPartitions()).isEqualTo(16);
            assertThat(kafka.retry()).isEqualTo(new OrderedConsumption.Retry(Duration.ofMillis(200), 2.0,
                    Duration.ofSeconds(5)));
            assertThat(kafka.accountChangesDeadLetterPartitions()).isEqualTo(12);
        });
        runner.withPropertyValues("pocketbridge.kafka.deliveries-partitions=32",
                "pocketbridge.kafka.retry.initial-interval=1s", "pocketbridge.kafka.retry.multiplier=3",
                "pocketbridge.kafka.retry.max-interval=1m").run(context -> {
                    PocketBridgeKafkaProperties kafka = context.getBean(PocketBridgeKafkaProperties.class);
                    assertThat(kafka.deliveriesPartitions()).isEqualTo(32);
                    assertThat(kafka.retry()).isEqualTo(new OrderedConsumption.Retry(Duration.ofSeconds(1), 3.0,
                            Duration.ofMinutes(1)));
                });
        runner.withPropertyValues("pocketbridge.kafka.retry.multiplier=0.5")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void everyConsumerLeavesItsGroupOnClose() {
        runner.run(context -> assertThat(context.getBean(DefaultKafkaConsumerFactory.class).getPostProcessors())
                .hasSize(1));
    }

    @Test
    void theProtocolLimitsHaveOneRecordThatRefusesAPayloadNoKafkaRecordHolds() {
        runner.run(context -> assertThat(context.getBean(ProtocolLimitsProperties.class)).isEqualTo(
                new ProtocolLimitsProperties(1_048_576, Duration.ofMinutes(5), 100, 1000, 5)));
        runner.withPropertyValues("pocketbridge.limits.max-payload-bytes=3000000")
                .run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues("pocketbridge.limits.max-payload-bytes=3200000")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("max-payload-bytes in base64url must fit a Kafka record"));
        runner.withPropertyValues("pocketbridge.limits.replay-default-limit=2000")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("replay-default-limit must not exceed replay-max-limit"));
    }

    @Test
    void aDeliveryGoesToThePartitionOfItsNodeKeyedByItsUser() {
        runner.withPropertyValues("pocketbridge.kafka.deliveries-partitions=4").run(context -> {
            Deliveries deliveries = context.getBean(Deliveries.class);
            Delivery close = new Delivery.CloseSession(3, "u", "s", CloseCodes.SUPERSEDED);
            ProducerRecord<String, String> record = deliveries.record(close);
            assertThat(record.topic()).isEqualTo(Topics.DELIVERIES);
            assertThat(record.partition()).isEqualTo(3);
            assertThat(record.key()).isEqualTo("u");
            assertThat(Json.read(record.value(), Delivery.class)).isEqualTo(close);

            assertThat(List.of(-1, 0, 3, 4)).map(deliveries::addressable).containsExactly(false, true, true, false);
            assertThatThrownBy(() -> deliveries.record(new Delivery.CloseSession(4, "u", "s", 4409)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 4");
            assertThat(deliveries.send(new Delivery.CloseSession(4, "u", "s", 4409))).isCompletedExceptionally();
            assertThat(deliveries.topic(context.getBean(TopicRetentionProperties.class)).numPartitions()).isEqualTo(4);
        });
    }
}
