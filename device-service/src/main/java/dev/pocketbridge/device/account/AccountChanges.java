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
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.DeviceCredentialsRecord;
import dev.pocketbridge.common.kafka.Topics;

/**
 * The one way device-service announces an account change to the other services, and a device's
 * newest credentials to the gateways' credential views: written to the
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
        add(change.topic(), change.userId(), Json.write(change));
    }

    /**
     * Adds the device's newest credentials to the caller's transaction, for {@code devices.credentials}
     * (compacted, keyed by device): on every change a handshake would see.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void publishCredentials(DeviceCredentials device) {
        add(Topics.DEVICE_CREDENTIALS, device.deviceId(), Json.write(new DeviceCredentialsRecord(device)));
    }

    /** Adds a tombstone for the device to the caller's transaction: it is gone from {@code devices.credentials}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void publishCredentialsGone(String deviceId) {
        add(Topics.DEVICE_CREDENTIALS, deviceId, null);
    }

    private void add(String topic, String key, String payload) {
        jdbc.sql("INSERT INTO account_changes_outbox (topic, record_key, payload, created_at) VALUES (?, ?, ?, ?)")
                .params(topic, key, payload, Timestamp.from(clock.instant()))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                publisher.nudge();
            }
        });
    }
}
