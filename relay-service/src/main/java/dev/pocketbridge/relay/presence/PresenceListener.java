package dev.pocketbridge.relay.presence;

import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;
import tools.jackson.core.JacksonException;

/**
 * Reads the whole compacted {@code presence} topic into the {@link PresenceMap}, from the beginning
 * on every assignment: each instance needs every entry, so its group id is unique to the instance.
 * Presence is best effort: an unreadable record is logged and skipped, never retried.
 */
@Component
class PresenceListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(PresenceListener.class);

    static final String ID = "relay-presence";

    private final PresenceMap presence;
    private final PresenceCatchUp catchUp;

    PresenceListener(PresenceMap presence, PresenceCatchUp catchUp) {
        this.presence = presence;
        this.catchUp = catchUp;
    }

    @KafkaListener(id = ID, topics = Topics.PRESENCE,
            groupId = "${pocketbridge.relay.presence.group-prefix:relay-presence-}#{T(java.util.UUID).randomUUID()}",
            containerFactory = PresenceConfiguration.CONTAINER_FACTORY,
            properties = "auto.offset.reset=earliest")
    void onPresence(ConsumerRecord<String, String> record, Consumer<?, ?> consumer) {
        try {
            Presence value = record.value() == null ? null : Json.read(record.value(), Presence.class);
            presence.apply(record.key(), value);
        } catch (JacksonException | IllegalArgumentException e) {
            log.warn("skipping unreadable presence record {}-{}@{} key {}: {}", record.topic(), record.partition(),
                    record.offset(), record.key(), e.getMessage());
        }
        // A busy topic may never idle: check the catch-up after records too.
        catchUp.check(consumer);
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        // Compacted state, not a stream: always rebuild from the first retained record.
        callback.seekToBeginning(assignments.keySet());
    }
}
