package dev.pocketbridge.kafka;

import java.time.Duration;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

import dev.pocketbridge.common.kafka.Topics;

/**
 * How every service declares the topics it owns: the agreed record size limit and a stated
 * retention ({@link TopicRetentionProperties}), nothing implicit.
 * <p>
 * A broker deletes whole segments, and only closed ones, so the declarations also size the
 * segments: a segment closes after at most a day ({@code segment.ms}) and, on a topic with a size
 * cap, at a quarter of that cap but at least 16 MiB ({@code segment.bytes}). A record is thus deleted at most a day after
 * its retention ran out, and a partition holds at most about 1.25 × its cap.
 */
public final class TopicDeclarations {

    static final Duration MAX_SEGMENT_AGE = Duration.ofDays(1);
    /** A segment must hold the largest record batch; a few of them per segment keeps segments few. */
    static final long MIN_SEGMENT_BYTES = 4L * Topics.MAX_MESSAGE_BYTES;
    static final long MAX_SEGMENT_BYTES = 1024 * 1024 * 1024;

    private TopicDeclarations() {
    }

    /** A topic whose records are deleted {@code retention} after they were written. */
    public static NewTopic topic(String name, int partitions, Duration retention) {
        return deleting(name, partitions, retention).build();
    }

    /** A topic whose records are deleted after {@code retention}, or earlier once a partition holds {@code maxBytes}. */
    public static NewTopic topic(String name, int partitions, Duration retention, long maxBytes) {
        long segmentBytes = Math.clamp(maxBytes / 4, MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES);
        return deleting(name, partitions, retention)
                .config(TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(maxBytes))
                .config(TopicConfig.SEGMENT_BYTES_CONFIG, Long.toString(segmentBytes))
                .build();
    }

    /**
     * {@code devices.dlt} and {@code users.dlt}: the account changes a service cannot read
     * ({@link DeadLetters#ACCOUNT_CHANGES}), declared alike by every service that consumes them in
     * order (whichever starts first creates them).
     */
    public static KafkaAdmin.NewTopics accountChangeDeadLetters(PocketBridgeKafkaProperties kafka,
            TopicRetentionProperties retention) {
        return new KafkaAdmin.NewTopics(
                topic(Topics.DEVICES + Topics.DEAD_LETTER_SUFFIX, kafka.accountChangesDeadLetterPartitions(),
                        retention.deadLetters()),
                topic(Topics.USERS + Topics.DEAD_LETTER_SUFFIX, kafka.accountChangesDeadLetterPartitions(),
                        retention.deadLetters()));
    }

    /**
     * A compacted topic: the newest record per key is kept as long as it is the newest; a tombstone
     * (null value) is kept {@code tombstoneRetention}, then the key is gone.
     */
    public static NewTopic compacted(String name, int partitions, Duration tombstoneRetention) {
        return builder(name, partitions).compact()
                .config(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(tombstoneRetention.toMillis()))
                .build();
    }

    private static TopicBuilder deleting(String name, int partitions, Duration retention) {
        Duration segmentAge = retention.compareTo(MAX_SEGMENT_AGE) < 0 ? retention : MAX_SEGMENT_AGE;
        return builder(name, partitions)
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()))
                .config(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(segmentAge.toMillis()));
    }

    private static TopicBuilder builder(String name, int partitions) {
        return TopicBuilder.name(name).partitions(partitions)
                .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(Topics.MAX_MESSAGE_BYTES));
    }
}
