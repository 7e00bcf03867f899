package dev.pocketbridge.kafka;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;

import dev.pocketbridge.common.kafka.Topics;

/** How every service declares the topics it owns: the agreed record size limit, nothing implicit. */
public final class TopicDeclarations {

    private TopicDeclarations() {
    }

    public static NewTopic topic(String name, int partitions) {
        return builder(name, partitions).build();
    }

    /** A compacted topic: the newest record per key is kept. */
    public static NewTopic compacted(String name, int partitions) {
        return builder(name, partitions).compact().build();
    }

    private static TopicBuilder builder(String name, int partitions) {
        return TopicBuilder.name(name).partitions(partitions)
                .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(Topics.MAX_MESSAGE_BYTES));
    }
}
