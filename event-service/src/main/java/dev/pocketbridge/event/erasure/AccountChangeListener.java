package dev.pocketbridge.event.erasure;

import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.event.ingest.IngestProperties;
import dev.pocketbridge.kafka.BatchSends;
import dev.pocketbridge.kafka.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Consumes device-service's account changes ({@code users} and {@code devices}) a poll at a time,
 * in order: a deleted user is erased ({@link Erasures#eraseUser}), a removed device's rows are
 * deleted ({@link Erasures#removeDevice}); revocations change nothing stored here. Each erasure
 * commits before the next change is handled, and the poll's offsets are committed only after all of
 * them; a failure (the database away) fails the poll, which is retried in order until it succeeds,
 * and the erasures done already find nothing left to delete. Unreadable records (unknown
 * {@code kind}, non-canonical ids) are dead-lettered in place to {@code users.dlt} / {@code devices.dlt}.
 */
@Component
class AccountChangeListener {

    static final String ID = "event-service-accounts";

    private final Erasures erasures;
    private final KafkaTemplate<String, String> kafka;
    private final IngestProperties properties;
    private final MeterRegistry meters;

    AccountChangeListener(Erasures erasures, KafkaTemplate<String, String> kafka, IngestProperties properties,
            MeterRegistry meters) {
        this.erasures = erasures;
        this.kafka = kafka;
        this.properties = properties;
        this.meters = meters;
    }

    // A few changes per poll: erasing a user with many events takes a while, and the poll's offsets
    // are committed only when all of its erasures are done.
    @KafkaListener(id = ID, idIsGroup = false, topics = {Topics.USERS, Topics.DEVICES},
            properties = {"group.instance.id=${pocketbridge.kafka.instance-id}-accounts", "max.poll.records=20"})
    void onChanges(List<ConsumerRecord<String, String>> records) {
        BatchSends deadLetters = new BatchSends(kafka, properties.publishTimeout(), meters);
        List<AccountChange> changes = DeadLetters.ACCOUNT_CHANGES.readEach(records, deadLetters,
                record -> AccountChange.read(record.value()));
        for (AccountChange change : changes) {
            switch (change) {
                case AccountChange.UserDeleted deleted -> erasures.eraseUser(uuid(deleted.userId()));
                case AccountChange.DeviceRemoved removed ->
                        erasures.removeDevice(uuid(removed.userId()), uuid(removed.deviceId()));
                // Sessions and tokens are other services' business; the device's rows stay until it is removed.
                case AccountChange.DeviceRevoked revoked -> {
                }
                case AccountChange.DeviceUnrevoked unrevoked -> {
                }
            }
        }
        deadLetters.await();
    }

    private static UUID uuid(String canonical) {
        return UUID.fromString(canonical);
    }
}
