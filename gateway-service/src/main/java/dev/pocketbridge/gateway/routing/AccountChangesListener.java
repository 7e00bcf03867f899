package dev.pocketbridge.gateway.routing;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.gateway.handshake.DeviceDirectory;
import dev.pocketbridge.kafka.AccountChangeRecords;

/**
 * Account changes from device-service ({@code devices}, {@code users}): a revoked or removed device's
 * session on this node, and every session of a deleted user, is closed at once with 4003
 * (PROTOCOL §3.5); a deleted user's presence is erased. The {@link DeviceDirectory} forgets what it kept
 * about the device, or about every device of the user, on every change (a restored device,
 * {@code device_unrevoked}, too), first of all: its next handshake asks device-service, until the
 * node's credential view has the device's credentials from after the change.
 * <p>
 * Every node must see every change, so each has a consumer group of its own,
 * {@code gateway-accounts-<node id>}. It reads only what is published from its start on: on the
 * first assignment of a partition in this life it starts at the end (a node that was down held no
 * sessions then, and every handshake since is checked at device-service, which refuses revoked and
 * removed devices); offsets are committed, so a rebalance later in the same life resumes where it
 * was. Unreadable records are logged and skipped: nothing blocks the topic (own container
 * factory, logging error handler).
 */
@Component
class AccountChangesListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(AccountChangesListener.class);

    static final String ID = "gateway-accounts";

    private final SessionRegistry registry;
    private final PresencePublisher presence;
    private final DeviceDirectory directory;
    /** Partitions assigned at least once in this life: only their first assignment starts at the end. */
    private final Set<TopicPartition> seen = ConcurrentHashMap.newKeySet();
    private volatile boolean joined;

    AccountChangesListener(SessionRegistry registry, PresencePublisher presence, DeviceDirectory directory) {
        this.registry = registry;
        this.presence = presence;
        this.directory = directory;
    }

    @KafkaListener(id = ID, topics = {Topics.DEVICES, Topics.USERS},
            groupId = "gateway-accounts-${pocketbridge.gateway.routing.node-id:0}",
            containerFactory = AccountChangesConfiguration.CONTAINER_FACTORY,
            properties = {"auto.offset.reset=latest", "session.timeout.ms=10000", "heartbeat.interval.ms=3000",
                    "metadata.max.age.ms=10000"})
    void onChange(ConsumerRecord<String, String> record) {
        AccountChangeRecords.readOrSkip(record).ifPresent(change -> apply(change, AccountChangeRecords.changeId(record)));
    }

    void apply(AccountChange change, OptionalLong changeId) {
        directory.changed(change, changeId);
        switch (change) {
            case AccountChange.DeviceRevoked revoked -> closeDevice(revoked.deviceId(), change);
            case AccountChange.DeviceRemoved removed -> closeDevice(removed.deviceId(), change);
            case AccountChange.UserDeleted deleted -> {
                int closed = registry.closeUser(deleted.userId());
                presence.forgetUser(deleted.userId());
                log.info("user deleted: closed {} sessions on this node", closed);
            }
            case AccountChange.DeviceUnrevoked unrevoked -> {
                // Nothing was open to restore: the device handshakes again when it wants, and is looked up afresh.
            }
        }
    }

    /** {@code deviceId} is a canonical UUID: {@link AccountChange#read} refuses a change without one. */
    private void closeDevice(String deviceId, AccountChange change) {
        int closed = registry.closeDevice(deviceId);
        if (closed > 0) {
            log.info("device {} {}: its session on this node closed", deviceId,
                    change instanceof AccountChange.DeviceRevoked ? "revoked" : "removed");
        }
    }

    /** True once this node's consumer joined its group (even with nothing assigned yet). */
    boolean isJoined() {
        return joined;
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        List<TopicPartition> first = assignments.keySet().stream().filter(seen::add).toList();
        if (!first.isEmpty()) {
            callback.seekToEnd(first);
        }
        joined = true;
    }
}
