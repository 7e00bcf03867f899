package dev.pocketbridge.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a consumer that reads a compacted topic from the beginning into a view has read it up to
 * where it ended at the first check: then the view holds everything the topic held when the service
 * started. Used on the consumer's thread only (after records, and when it idles, so an empty or
 * quiet topic is caught up too).
 */
public final class CatchUp {

    /** End offsets at the first check with partitions assigned. */
    private Map<TopicPartition, Long> targets;

    /** @return true once every partition assigned at the first check has been read up to its end offset then */
    public boolean reached(Consumer<?, ?> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        if (targets == null) {
            targets = new HashMap<>(consumer.endOffsets(assigned));
        }
        for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
            if (!assigned.contains(target.getKey()) || consumer.position(target.getKey()) < target.getValue()) {
                return false;
            }
        }
        return true;
    }
}
