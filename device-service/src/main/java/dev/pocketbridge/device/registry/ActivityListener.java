package dev.pocketbridge.device.registry;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.kafka.Topics;

/**
 * A user's stored events count as activity: reads only the keys ({@code user_id}) of
 * {@code events.stored}, from the end (past activity is not replayed), in the group
 * {@code device-activity}; the values are never decoded.
 */
@Component
class ActivityListener {

    static final String ID = "device-activity";

    private final UserActivity activity;

    ActivityListener(UserActivity activity) {
        this.activity = activity;
    }

    @KafkaListener(id = ID, groupId = "device-activity", topics = Topics.EVENTS_STORED,
            batch = "true", properties = {"auto.offset.reset=latest",
                    "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
                    "group.instance.id=${pocketbridge.kafka.instance-id}-activity",
                    // last_activity is kept to the minute: a fetch answered once 64 KiB wait or after a second
                    // reads the whole event stream in a few large fetches, not one per event (docs/performance.md)
                    "fetch.min.bytes=65536", "fetch.max.wait.ms=1000"})
    void onStored(List<ConsumerRecord<String, byte[]>> records) {
        records.stream().map(ConsumerRecord::key).distinct()
                .forEach(key -> Uuids.parse(key).ifPresent(activity::touch));
    }
}
