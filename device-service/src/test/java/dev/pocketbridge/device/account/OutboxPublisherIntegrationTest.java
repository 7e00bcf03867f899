package dev.pocketbridge.device.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;

import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.device.DeviceIntegrationTest;
import dev.pocketbridge.testsupport.KafkaTap;
import dev.pocketbridge.testsupport.SharedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The outbox over real PostgreSQL and Kafka: no committed change is deleted before it was sent. */
class OutboxPublisherIntegrationTest extends DeviceIntegrationTest {

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    KafkaTemplate<String, String> kafka;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    AccountProperties properties;

    @Test
    void aChangeThatCommitsWhileALaterOneIsBeingSentIsSentInTheNextBatch() throws SQLException {
        KafkaTap tap = new KafkaTap(SharedKafka.bootstrapServers(), List.of(Topics.DEVICE_CREDENTIALS));
        String early = UUID.randomUUID().toString();
        String late = UUID.randomUUID().toString();
        try (Connection slow = dataSource.getConnection(); Connection fast = dataSource.getConnection()) {
            slow.setAutoCommit(false);
            add(slow, early); // the smaller id, not committed yet
            add(fast, late); // the larger id, committed at once
            // Commits the early change while the late one is out, as a slow transaction would.
            KafkaTemplate<String, String> racing = new KafkaTemplate<>(kafka.getProducerFactory()) {
                @Override
                public CompletableFuture<SendResult<String, String>> send(ProducerRecord<String, String> record) {
                    CompletableFuture<SendResult<String, String>> sent = super.send(record);
                    if (late.equals(record.key())) {
                        commit(slow);
                    }
                    return sent;
                }
            };
            OutboxPublisher publisher = new OutboxPublisher(jdbc, racing, transaction, properties,
                    new SimpleMeterRegistry());

            publisher.publishPending();
            publisher.publishPending();
            if (!slow.getAutoCommit()) {
                slow.commit(); // the service's own publisher sent the late change first: nothing raced
            }
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(tap.records(Topics.DEVICE_CREDENTIALS, late)).hasSize(1);
            assertThat(tap.records(Topics.DEVICE_CREDENTIALS, early)).hasSize(1);
        });
        assertThat(jdbc.sql("SELECT count(*) FROM account_changes_outbox WHERE record_key IN (?, ?)")
                .params(early, late).query(Long.class).single()).isZero();
    }

    /** A tombstone for {@code key} in the outbox, on {@code connection} (committed when it autocommits). */
    private static void add(Connection connection, String key) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO account_changes_outbox (topic, record_key, payload, created_at) VALUES (?, ?, NULL, ?)")) {
            insert.setString(1, Topics.DEVICE_CREDENTIALS);
            insert.setString(2, key);
            insert.setTimestamp(3, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
    }

    private static void commit(Connection connection) {
        try {
            connection.commit();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
