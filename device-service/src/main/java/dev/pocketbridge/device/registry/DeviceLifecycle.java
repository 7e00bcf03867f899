package dev.pocketbridge.device.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.device.Admin;
import dev.pocketbridge.device.account.AccountChanges;
import dev.pocketbridge.device.audit.AuditLog;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;
import dev.pocketbridge.web.DeviceCaller;

/**
 * Ends, suspends and restores devices, and deletes whole accounts (PROTOCOL §2.2, §2.3). Each change
 * commits together with its announcement to the other services and the device's newest credentials
 * (or their tombstone) for the gateways ({@link AccountChanges}) and, for an
 * admin's, its audit entry; the database change alone already stops the device: handshakes, logins
 * and every token check read it.
 */
@Service
class DeviceLifecycle {

    private final UserRepository users;
    private final DeviceRepository devices;
    private final AccountChanges changes;
    private final AuditLog audit;
    private final ProtocolLimitsProperties limits;
    private final Clock clock;

    DeviceLifecycle(UserRepository users, DeviceRepository devices, AccountChanges changes, AuditLog audit,
            ProtocolLimitsProperties limits, Clock clock) {
        this.users = users;
        this.devices = devices;
        this.changes = changes;
        this.audit = audit;
        this.limits = limits;
        this.clock = clock;
    }

    /** The caller removes one of its user's devices (itself included): its row, codes and tokens are gone. */
    @Transactional
    void remove(DeviceCaller caller, String deviceId) {
        UUID id = Uuids.parse(deviceId).orElseThrow(Devices::notFound);
        users.lockById(caller.userId()).orElseThrow(Devices::notFound);
        Device device = devices.findByIdAndUserId(id, caller.userId()).orElseThrow(Devices::notFound);
        devices.delete(device);
        changes.publish(new AccountChange.DeviceRemoved(caller.userId().toString(), id.toString(), clock.millis()));
        changes.publishCredentialsGone(id.toString());
    }

    /** The caller deletes its account: every row here goes at once, the other services erase theirs on the announcement. */
    @Transactional
    void deleteUser(DeviceCaller caller) {
        UserAccount user = users.lockById(caller.userId()).orElseThrow(Devices::notFound);
        List<String> deviceIds = devices.findByUserId(caller.userId()).stream()
                .map(device -> device.getId().toString()).toList();
        audit.forget(caller.userId());
        // Devices, pairing codes and pairing tokens go with the user (on delete cascade).
        users.delete(user);
        audit.record(AuditLog.ACTOR_ACCOUNT_HOLDER, AuditLog.USER_DELETED, null, null, null);
        changes.publish(new AccountChange.UserDeleted(caller.userId().toString(), deviceIds, clock.millis()));
        deviceIds.forEach(changes::publishCredentialsGone);
    }

    /** An admin revokes any device; revoking a revoked device changes nothing but is audited too. */
    @Transactional
    RevokedDevice revoke(Admin admin, String deviceId, String reason) {
        Device device = lockedDevice(deviceId);
        Instant now = clock.instant();
        if (device.revoke(reason, now)) {
            changes.publish(new AccountChange.DeviceRevoked(device.userId().toString(), device.getId().toString(),
                    reason, now.toEpochMilli()));
            changes.publishCredentials(device.credentials());
        }
        audit.record(admin.name(), AuditLog.DEVICE_REVOKED, device.userId(), device.getId(), reason);
        return RevokedDevice.of(device);
    }

    /** An admin restores a revoked device, within the user's device limit. */
    @Transactional
    DeviceState unrevoke(Admin admin, String deviceId) {
        Device device = lockedDevice(deviceId);
        if (!device.active() && devices.countActive(device.userId()) >= limits.maxDevicesPerUser()) {
            throw Registry.limitReached(limits);
        }
        if (device.unrevoke()) {
            changes.publish(new AccountChange.DeviceUnrevoked(device.userId().toString(), device.getId().toString(),
                    clock.millis()));
            changes.publishCredentials(device.credentials());
        }
        audit.record(admin.name(), AuditLog.DEVICE_UNREVOKED, device.userId(), device.getId(), null);
        return DeviceState.of(device);
    }

    @Transactional(readOnly = true)
    List<RevokedDevice> revoked(int limit) {
        return devices.findRevoked(Limit.of(limit)).stream().map(RevokedDevice::of).toList();
    }

    /** Every access token of the device issued before now stops counting (refresh-token reuse). */
    @Transactional
    void signOut(String deviceId) {
        UUID id = Uuids.parse(deviceId).orElseThrow(Devices::notFound);
        devices.findById(id).orElseThrow(Devices::notFound).signOut(clock.instant());
    }

    /** The device, under its user's lock (the lock every change to a user's devices holds). */
    private Device lockedDevice(String deviceId) {
        UUID id = Uuids.parse(deviceId).orElseThrow(Devices::notFound);
        UUID userId = devices.findUserIdById(id).orElseThrow(Devices::notFound);
        users.lockById(userId).orElseThrow(Devices::notFound);
        return devices.findById(id).orElseThrow(Devices::notFound);
    }
}
