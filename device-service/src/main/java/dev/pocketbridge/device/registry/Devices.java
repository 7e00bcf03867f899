package dev.pocketbridge.device.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.device.presence.DevicePresence;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.DeviceCaller;

/** Reads and renames devices, and tells the user's status. Every read is scoped to the caller's user: another user's device is "not found". */
@Service
class Devices {

    private final UserRepository users;
    private final DeviceRepository devices;
    private final RegistryProperties properties;
    private final DevicePresence presence;
    private final Clock clock;

    Devices(UserRepository users, DeviceRepository devices, RegistryProperties properties, DevicePresence presence,
            Clock clock) {
        this.users = users;
        this.devices = devices;
        this.properties = properties;
        this.presence = presence;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    DeviceList list(DeviceCaller caller) {
        return DeviceList.of(devices.findActiveByUser(caller.userId()).stream()
                .map(device -> DeviceView.of(device, caller, presence))
                .toList());
    }

    @Transactional
    DeviceView rename(DeviceCaller caller, String deviceId, String rawName) {
        UUID id = Uuids.parse(deviceId).orElseThrow(Devices::notFound);
        users.lockById(caller.userId()).orElseThrow(Devices::notFound);
        Device device = devices.findByIdAndUserId(id, caller.userId()).filter(Device::active)
                .orElseThrow(Devices::notFound);
        String name = DeviceNames.normalize(rawName, properties.maxNameCodePoints())
                .orElseThrow(() -> Registry.invalidName(properties));
        String key = DeviceNames.key(name);
        if (!key.equals(device.nameKey()) && devices.existsByUserIdAndNameKey(caller.userId(), key)) {
            throw Registry.nameTaken();
        }
        device.rename(name);
        try {
            devices.flush();
        } catch (DataIntegrityViolationException e) {
            if (Registry.violates(e, "devices_user_name_unique")) {
                throw Registry.nameTaken();
            }
            throw e;
        }
        return DeviceView.of(device, caller, presence);
    }

    /** {@code GET /api/v1/status}. */
    @Transactional(readOnly = true)
    Status status(DeviceCaller caller) {
        List<Device> active = devices.findActiveByUser(caller.userId());
        int online = (int) active.stream().filter(d -> presence.online(d.getId().toString())).count();
        Instant lastActivity = users.findById(caller.userId()).map(UserAccount::lastActivityAt).orElse(null);
        return new Status(caller.userId().toString(), caller.deviceId().toString(), active.size(), online,
                lastActivity == null ? null : lastActivity.toEpochMilli(), clock.millis());
    }

    /** What the gateway needs for a handshake; empty for an unknown or non-canonical id. */
    @Transactional(readOnly = true)
    Optional<DeviceCredentials> credentials(String deviceId) {
        return Uuids.parse(deviceId).flatMap(devices::findById).map(Device::credentials);
    }

    /**
     * {@link #credentials(String)} of each of {@code deviceIds} in one query, in their order: null for an
     * unknown or non-canonical id.
     */
    @Transactional(readOnly = true)
    List<DeviceCredentials> credentials(List<String> deviceIds) {
        Map<UUID, DeviceCredentials> found = new HashMap<>();
        devices.findAllById(deviceIds.stream().map(Uuids::parse).flatMap(Optional::stream).distinct().toList())
                .forEach(device -> found.put(device.getId(), device.credentials()));
        return deviceIds.stream().map(id -> Uuids.parse(id).map(found::get).orElse(null)).toList();
    }

    static ApiException notFound() {
        return new ApiException(HttpStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, "no such device");
    }
}
