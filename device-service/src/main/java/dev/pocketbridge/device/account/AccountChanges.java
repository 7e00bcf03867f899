package dev.pocketbridge.device.account;

import java.sql.Timestamp;
import java.time.Clock;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.AccountChange;

/**
 * The one way device-service announces an account change to the other services: written to the
 * outbox in the transaction that makes the change, so the change and its announcement commit or
 * roll back together, and handed to the {@link OutboxPublisher} as soon as that transaction commits
 * (which also retries whatever the broker did not take).
 */
@Component
public class AccountChanges {

    private final JdbcClient jdbc;
    private final OutboxPublisher publisher;
    private final Clock clock;

    AccountChanges(JdbcClient jdbc, OutboxPublisher publisher, Clock clock) {
        this.jdbc = jdbc;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Adds {@code change} to the caller's transaction; it reaches its topic once that commits. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void publish(AccountChange change) {
        jdbc.sql("INSERT INTO account_changes_outbox (topic, record_key, payload, created_at) VALUES (?, ?, ?, ?)")
                .params(change.topic(), change.userId(), Json.write(change),
                        Timestamp.from(clock.instant()))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                publisher.nudge();
            }
        });
    }
}
