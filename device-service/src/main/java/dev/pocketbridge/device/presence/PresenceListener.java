package dev.pocketbridge.device.presence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;
import tools.jackson.core.JacksonException;

/**
 * Reads the whole compacted {@code presence} topic into {@link DevicePresence} (each instance its
 * own group, from the beginning at every start) and records when each device was last seen: the
 * gateway's time of its newest session open or close, written to {@code devices.last_seen_at}
 * (only ever moved forward, so reading the topic again changes nothing). Unreadable records are
 * logged and skipped.
 */
@Component
class PresenceListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(PresenceListener.class);

    private final DevicePresence presence;
    private final JdbcClient jdbc;

    PresenceListener(DevicePresence presence, JdbcClient jdbc) {
        this.presence = presence;
        this.jdbc = jdbc;
    }

    @KafkaListener(id = "device-presence", topics = Topics.PRESENCE,
            groupId = "${pocketbridge.device.presence.group-prefix:device-presence-}#{T(java.util.UUID).randomUUID()}",
            containerFactory = PresenceConfiguration.CONTAINER_FACTORY, properties = "auto.offset.reset=earliest")
    @Transactional
    void onPresence(List<ConsumerRecord<String, String>> records) {
        Map<UUID, Long> seen = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                Presence value = record.value() == null ? null : Json.read(record.value(), Presence.class);
                presence.apply(record.key(), value);
                switch (value) {
                    case null -> {
                        // A tombstone: its close came before it.
                    }
                    case Presence.Session session -> Uuids.parse(session.deviceId())
                            .ifPresent(id -> seen.merge(id, session.at(), Math::max));
                    case Presence.NodeStarted node -> {
                        // Not about one device: the view keeps when the node was heard from.
                    }
                }
            } catch (JacksonException e) {
                log.warn("skipping unreadable presence record {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
        seen.forEach((device, at) -> jdbc.sql("""
                UPDATE devices SET last_seen_at = ? WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at < ?)""")
                .params(Timestamp.from(Instant.ofEpochMilli(at)), device, Timestamp.from(Instant.ofEpochMilli(at)))
                .update());
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        // Compacted state, not a stream: always rebuild from the first retained record.
        callback.seekToBeginning(assignments.keySet());
    }
}
