package dev.pocketbridge.gateway.routing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * This node's place in the routing of deliveries ({@code pocketbridge.gateway.routing}) and the
 * topics the gateway declares.
 *
 * @param nodeId this gateway's id: it reads partition {@code node-id} of {@code deliveries} and
 *        stamps it on every event's origin; must be below that topic's partition count
 *        ({@code pocketbridge.kafka.deliveries-partitions}, checked at start-up by {@link DeliveriesConsumer})
 * @param pollTimeout longest wait of one {@code deliveries} poll
 * @param startupTimeout how long start-up waits to learn the partition count of {@code deliveries}
 *        before leaving the check to the consumer thread (the topic may not exist yet); reading
 *        {@code presence} back (this node's last epoch at start, a deleted user's keys) gives up
 *        after this long without progress
 * @param retryBackoff pause before a failed deliveries consumer is replaced
 * @param stallTimeout a deliveries consumer that has not polled for this long makes readiness fail
 * @param eventsInboundPartitions partitions of {@code events.inbound}
 * @param acksPartitions partitions of {@code acks}
 * @param presencePartitions partitions of {@code presence}
 * @param drainTimeout at shutdown, how long sessions may wait for the outcomes of their in-flight
 *        events before they are closed with 1001
 * @param presenceRepairInterval after a presence record was not published, how often this node and
 *        its sessions are announced again
 * @param presenceHeartbeatInterval how often this node announces itself (its node record) while it
 *        runs, so that readers of {@code presence} (device-service) can tell a crashed node from a quiet
 *        one by their own clocks
 */
@Validated
@ConfigurationProperties("pocketbridge.gateway.routing")
public record RoutingProperties(
        @Min(0) @DefaultValue("0") int nodeId,
        @NotNull @DefaultValue("500ms") Duration pollTimeout,
        @NotNull @DefaultValue("5s") Duration startupTimeout,
        @NotNull @DefaultValue("2s") Duration retryBackoff,
        @NotNull @DefaultValue("30s") Duration stallTimeout,
        @Min(1) @DefaultValue("12") int eventsInboundPartitions,
        @Min(1) @DefaultValue("12") int acksPartitions,
        @Min(1) @DefaultValue("6") int presencePartitions,
        @NotNull @DefaultValue("10s") Duration drainTimeout,
        @NotNull @DefaultValue("5s") Duration presenceRepairInterval,
        @NotNull @DefaultValue("20s") Duration presenceHeartbeatInterval) {
}
