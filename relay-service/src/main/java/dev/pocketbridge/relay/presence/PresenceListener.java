package dev.pocketbridge.relay.presence;

import java.util.List;
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
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.kafka.Deliveries;
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
    private final Deliveries deliveries;
    private final LatestEvents latest;
    private final NewestEventReader newestEvents;

    PresenceListener(PresenceMap presence, PresenceCatchUp catchUp, Deliveries deliveries, LatestEvents latest,
            NewestEventReader newestEvents) {
        this.presence = presence;
        this.catchUp = catchUp;
        this.deliveries = deliveries;
        this.latest = latest;
        this.newestEvents = newestEvents;
    }

    @KafkaListener(id = ID, topics = Topics.PRESENCE,
            groupId = "${pocketbridge.relay.presence.group-prefix:relay-presence-}#{T(java.util.UUID).randomUUID()}",
            containerFactory = PresenceConfiguration.CONTAINER_FACTORY,
            properties = "auto.offset.reset=earliest")
    void onPresence(ConsumerRecord<String, String> record, Consumer<?, ?> consumer) {
        try {
            Presence value = record.value() == null ? null : Json.read(record.value(), Presence.class);
            List<SessionLocation> superseded = presence.apply(record.key(), value);
            // While the view is rebuilt from history those sessions are long gone: only live changes act.
            if (catchUp.isCaughtUp() && value != null) {
                switch (value) {
                    case Presence.SessionOpened opened -> opened(opened, superseded);
                    case Presence.NodeStarted node -> {
                        // The view dropped the node's older sessions; their devices reconnect.
                    }
                    case Presence.SessionClosed closed -> {
                        // Nothing more to tell: the view dropped it.
                    }
                }
            }
        } catch (JacksonException e) {
            log.warn("skipping unreadable presence record {}-{}@{} key {}: {}", record.topic(), record.partition(),
                    record.offset(), record.key(), e.getMessage());
        }
        // A busy topic may never idle: check the catch-up after records too.
        catchUp.check(consumer);
    }

    /**
     * A device has at most one session (PROTOCOL §3.1): its older session on another node is closed
     * with 4409 (a node closes same-node duplicates itself). Best effort, like presence itself.
     * Events fanned out before this relay saw the session open missed it; the user's newest event
     * shows the device any such gap (it ignores a seq it already has), and it replays.
     */
    private void opened(Presence.SessionOpened opened, List<SessionLocation> superseded) {
        superseded.stream()
                .filter(old -> old.nodeId() != opened.nodeId())
                .forEach(old -> deliveries.send(new Delivery.CloseSession(old.nodeId(), opened.userId(),
                        old.sessionId(), CloseCodes.SUPERSEDED)));
        boolean inView = presence.sessionsOf(opened.userId()).stream()
                .anyMatch(s -> s.sessionId().equals(opened.sessionId()));
        if (inView) {
            latest.of(opened.userId()).ifPresent(newest -> newestEvents.deliver(opened, newest));
        }
    }


    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        // Compacted state, not a stream: always rebuild from the first retained record.
        callback.seekToBeginning(assignments.keySet());
    }
}
