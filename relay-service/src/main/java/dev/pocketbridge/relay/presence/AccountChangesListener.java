package dev.pocketbridge.relay.presence;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.kafka.AccountChangeRecords;

/**
 * Account changes from device-service ({@code devices}, {@code users}) applied to this instance's
 * view at once: a revoked or removed device's sessions are dropped from the {@link PresenceMap}, so
 * nothing more is fanned out to them even before their gateway's close reaches {@code presence}; a
 * deleted user's sessions are all dropped and the user is forgotten in {@link LatestEvents}. A
 * restored device changes nothing: its next session is announced on {@code presence} as usual.
 * <p>
 * Every instance needs every change, so its group id is unique to the instance (a random UUID), and
 * it reads only what is published from its start on (its view is rebuilt from {@code presence} at
 * start, where the gateways have already closed those sessions). Best effort like presence: the
 * presence listener's container (logging error handler, nothing committed); an unreadable record is
 * logged and skipped.
 */
@Component
class AccountChangesListener {

    private static final Logger log = LoggerFactory.getLogger(AccountChangesListener.class);

    /** Not starting with {@link PresenceListener#ID}: the presence catch-up watches only that container. */
    static final String ID = "relay-accounts";

    private final PresenceMap presence;
    private final LatestEvents latest;

    AccountChangesListener(PresenceMap presence, LatestEvents latest) {
        this.presence = presence;
        this.latest = latest;
    }

    @KafkaListener(id = ID, topics = {Topics.DEVICES, Topics.USERS},
            groupId = "${pocketbridge.relay.presence.accounts-group-prefix:relay-accounts-}#{T(java.util.UUID).randomUUID()}",
            containerFactory = PresenceConfiguration.CONTAINER_FACTORY,
            // The topics may appear after this starts (device-service creates them): look again every 10 s.
            properties = {"auto.offset.reset=latest", "metadata.max.age.ms=10000"})
    void onChange(ConsumerRecord<String, String> record) {
        AccountChangeRecords.readOrSkip(record).ifPresent(this::apply);
    }

    void apply(AccountChange change) {
        switch (change) {
            case AccountChange.DeviceRevoked revoked -> dropDevice(revoked.userId(), revoked.deviceId());
            case AccountChange.DeviceRemoved removed -> dropDevice(removed.userId(), removed.deviceId());
            case AccountChange.UserDeleted deleted -> {
                List<SessionLocation> dropped = presence.dropUser(deleted.userId());
                latest.forget(deleted.userId());
                log.info("user deleted: dropped {} sessions from the presence view", dropped.size());
            }
            case AccountChange.DeviceUnrevoked unrevoked -> {
                // Nothing to restore: its next session is announced on presence.
            }
        }
    }

    private void dropDevice(String userId, String deviceId) {
        if (deviceId == null) {
            log.warn("skipping a device change without a device");
            return;
        }
        List<SessionLocation> dropped = presence.dropDevice(userId, deviceId);
        if (!dropped.isEmpty()) {
            log.info("device {} revoked or removed: dropped its session from the presence view", deviceId);
        }
    }
}
