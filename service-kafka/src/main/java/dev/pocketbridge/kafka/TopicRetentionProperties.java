package dev.pocketbridge.kafka;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How long every topic keeps its records ({@code pocketbridge.kafka.retention}), in one record that
 * every service binds, so two services declaring the same topic ({@code deliveries}) agree. No
 * topic keeps an event longer than the event log's own retention (30 days), and the topics that
 * carry payloads also have a size cap per partition, so no flood of large events can fill the
 * brokers' disks within the retention period. Dropping a record nobody consumed yet breaks no
 * promise: an event is acked only once it is in PostgreSQL, a device resends every event until its
 * ack, and a device that misses a live copy sees the gap and replays.
 *
 * Size caps are at least 64 MiB, so that a quarter of one still holds a few of the largest records.
 *
 * @param eventsInbound {@code events.inbound}: a queue in front of the log, needed only until
 *     event-service stored its records; a day rides out an outage of event-service
 * @param eventsInboundBytes {@code events.inbound}: size cap per partition
 * @param eventsStored {@code events.stored}: relay reads it within seconds; three days let an
 *     analysts' consumer ride out a weekend
 * @param eventsStoredBytes {@code events.stored}: size cap per partition
 * @param acks {@code acks}: cumulative positions, read within seconds; a day rides out an outage of
 *     event-service (a device's next ack repeats the position anyway)
 * @param deliveries {@code deliveries}: gateways read their partition from its end only, so a record
 *     is worthless seconds after it was written; an hour keeps it for debugging
 * @param deliveriesBytes {@code deliveries}: size cap per partition
 * @param presenceTombstones {@code presence} is compacted (the newest record per session and node is
 *     the state, kept as long as it is current); a session's tombstone is kept this long, so a relay
 *     rebuilding its view sees the close before compaction drops it
 * @param credentialTombstones {@code devices.credentials} is compacted (the newest record per device
 *     is its state); a removed device's tombstone is kept this long, so a gateway rebuilding its view
 *     sees the removal before compaction drops it
 * @param deadLetters every {@code .dlt} topic: long enough for an operator to notice and inspect
 * @param accountChanges {@code devices} and {@code users}: every service erases a deleted user's data
 *     from them, so they outlast any outage of a consumer; they hold ids only, never names or keys
 * @param analytics {@code events.analytics}: pseudonymised metadata for analysts, kept as long as
 *     the event log keeps events, so a month of outcomes can be read again
 * @param analyticsBytes {@code events.analytics}: size cap per partition
 */
@ConfigurationProperties("pocketbridge.kafka.retention")
@Validated
public record TopicRetentionProperties(
        @DefaultValue("1d") @NotNull Duration eventsInbound,
        @DefaultValue("1073741824") @Min(MIN_CAP_BYTES) long eventsInboundBytes,
        @DefaultValue("3d") @NotNull Duration eventsStored,
        @DefaultValue("1073741824") @Min(MIN_CAP_BYTES) long eventsStoredBytes,
        @DefaultValue("1d") @NotNull Duration acks,
        @DefaultValue("1h") @NotNull Duration deliveries,
        @DefaultValue("268435456") @Min(MIN_CAP_BYTES) long deliveriesBytes,
        @DefaultValue("1d") @NotNull Duration presenceTombstones,
        @DefaultValue("1d") @NotNull Duration credentialTombstones,
        @DefaultValue("14d") @NotNull Duration deadLetters,
        @DefaultValue("30d") @NotNull Duration accountChanges,
        @DefaultValue("30d") @NotNull Duration analytics,
        @DefaultValue("1073741824") @Min(MIN_CAP_BYTES) long analyticsBytes) {

    static final long MIN_CAP_BYTES = 64L * 1024 * 1024;
}
