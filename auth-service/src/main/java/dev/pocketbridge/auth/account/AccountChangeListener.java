package dev.pocketbridge.auth.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.BatchSends;
import dev.pocketbridge.kafka.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Consumes device-service's account changes ({@code devices} and {@code users}, group
 * {@code auth-service}, from the beginning) a poll at a time, in order: the poll's changes are applied
 * in one transaction ({@link AccountErasures}), and its offsets are committed only after that
 * transaction committed. A failure (the database away) fails the poll, which is retried whole with
 * back-off until it succeeds; what was applied already is applied again harmlessly. Unreadable
 * records (unknown {@code kind}, non-canonical ids) are dead-lettered in place to {@code devices.dlt} /
 * {@code users.dlt}.
 */
@Component
class AccountChangeListener {

    static final String ID = "auth-service-accounts";

    private final AccountErasures erasures;
    private final KafkaTemplate<String, String> kafka;
    private final AccountChangesProperties properties;
    private final MeterRegistry meters;

    AccountChangeListener(AccountErasures erasures, KafkaTemplate<String, String> kafka,
            AccountChangesProperties properties, MeterRegistry meters) {
        this.erasures = erasures;
        this.kafka = kafka;
        this.properties = properties;
        this.meters = meters;
    }

    @KafkaListener(id = ID, idIsGroup = false, topics = {Topics.DEVICES, Topics.USERS},
            properties = "group.instance.id=${pocketbridge.kafka.instance-id}-accounts")
    void onChanges(List<ConsumerRecord<String, String>> records) {
        BatchSends deadLetters = new BatchSends(kafka, properties.deadLetterTimeout(), meters);
        List<AccountErasures.Erasure> erasures = new ArrayList<>();
        DeadLetters.ACCOUNT_CHANGES.readEach(records, deadLetters, record -> AccountChange.read(record.value()))
                .forEach(change -> erasureOf(change).ifPresent(erasures::add));
        if (!erasures.isEmpty()) {
            this.erasures.apply(erasures);
        }
        deadLetters.await();
    }

    private static Optional<AccountErasures.Erasure> erasureOf(AccountChange change) {
        return Optional.ofNullable(switch (change) {
            case AccountChange.DeviceRevoked revoked -> new AccountErasures.Erasure.RevokeDevice(
                    uuid(revoked.deviceId()));
            case AccountChange.DeviceRemoved removed -> new AccountErasures.Erasure.RemoveDevice(
                    uuid(removed.deviceId()));
            case AccountChange.UserDeleted deleted -> new AccountErasures.Erasure.DeleteUser(uuid(deleted.userId()),
                    deleted.deviceIds().stream().map(AccountChangeListener::uuid).toList());
            // Restored devices log in again with their key; nothing here changes.
            case AccountChange.DeviceUnrevoked unrevoked -> null;
        });
    }

    private static UUID uuid(String canonical) {
        return UUID.fromString(canonical);
    }
}
