package dev.pocketbridge.gateway.handshake;

import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.kafka.DeviceCredentialsRecord;
import dev.pocketbridge.common.kafka.MalformedAccountChangeException;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.AccountChangeRecords;
import dev.pocketbridge.kafka.CatchUp;
import tools.jackson.core.JacksonException;

/**
 * Reads the whole compacted {@code devices.credentials} into the {@link CredentialView}, from the
 * beginning at every start: every node needs every device, so its group id is unique to the
 * instance, and no offset is committed. A record that cannot be read, or has no change number,
 * drops its device from the view (it is looked up at device-service) and is skipped: the topic
 * never blocks, and no unread record leaves older credentials in use.
 */
@Component
class CredentialViewListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(CredentialViewListener.class);

    static final String ID = "gateway-credentials";

    private final CredentialView view;
    /** Touched only on the listener's consumer thread. */
    private final CatchUp catchUp = new CatchUp();

    CredentialViewListener(CredentialView view) {
        this.view = view;
    }

    @KafkaListener(id = ID, topics = Topics.DEVICE_CREDENTIALS,
            groupId = "gateway-credentials-#{T(java.util.UUID).randomUUID()}",
            containerFactory = CredentialViewConfiguration.CONTAINER_FACTORY,
            properties = {"auto.offset.reset=earliest", "metadata.max.age.ms=10000"})
    void onRecord(ConsumerRecord<String, String> record, Consumer<?, ?> consumer) {
        apply(record);
        // A busy topic may never idle: check the catch-up after records too.
        check(consumer);
    }

    void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            log.warn("skipping a credentials record without a key {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        OptionalLong changeId = AccountChangeRecords.changeId(record);
        try {
            DeviceCredentialsRecord credentials = DeviceCredentialsRecord.read(record.key(), record.value());
            if (changeId.isPresent()) {
                view.apply(record.key(), credentials, changeId.getAsLong());
                return;
            }
            log.warn("credentials record {}-{}@{} has no {} header: its device is looked up at device-service",
                    record.topic(), record.partition(), record.offset(), Topics.CHANGE_ID_HEADER);
        } catch (JacksonException | MalformedAccountChangeException e) {
            log.warn("unreadable credentials record {}-{}@{}: its device is looked up at device-service: {}",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
        }
        view.changed(record.key(), OptionalLong.empty());
    }

    @EventListener(condition = "#event.listenerId.startsWith('" + ID + "')")
    void onIdle(ListenerContainerIdleEvent event) {
        check(event.getConsumer());
    }

    private void check(Consumer<?, ?> consumer) {
        if (!view.isCaughtUp() && catchUp.reached(consumer)) {
            view.caughtUp();
            log.info("credential view caught up");
        }
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        // Compacted state, not a stream: always rebuild from the first retained record.
        callback.seekToBeginning(assignments.keySet());
    }
}
