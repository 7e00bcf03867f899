package dev.pocketbridge.common.kafka;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.internal.DeviceCredentials;

/**
 * What a handshake needs to know of one device, as {@code devices.credentials} holds it
 * ({@link Topics#DEVICE_CREDENTIALS}): compacted, keyed by {@code device_id}, the newest record per
 * device written by device-service in the transaction of every change to it (registration,
 * revocation, restoration), and a tombstone (no value) when the device is removed or its user
 * deleted. A gateway reads the whole topic into its credential view, so a device's handshake needs
 * no call to device-service. Public keys are public; nothing here is secret.
 *
 * @param active false once revoked
 */
public record DeviceCredentialsRecord(int schemaVersion, String deviceId, String userId, String publicKey,
        String deviceType, boolean active) {

    public DeviceCredentialsRecord(DeviceCredentials device) {
        this(Topics.SCHEMA_VERSION, device.deviceId(), device.userId(), device.publicKey(), device.deviceType(),
                device.active());
    }

    /**
     * Reads a record's value, null for a tombstone.
     *
     * @throws tools.jackson.core.JacksonException when it is not JSON
     * @throws MalformedAccountChangeException when an id is not a canonical UUID, the key names another
     *                                         device or there is no public key
     */
    public static DeviceCredentialsRecord read(String key, String value) {
        if (value == null) {
            return null;
        }
        DeviceCredentialsRecord record = Json.read(value, DeviceCredentialsRecord.class);
        if (record == null || !Uuids.isCanonical(record.deviceId()) || !record.deviceId().equals(key)
                || !Uuids.isCanonical(record.userId()) || record.publicKey() == null) {
            throw new MalformedAccountChangeException("not the credentials of the device " + key);
        }
        return record;
    }

    /** As the handshake checks them; tokens are not the gateway's business ({@code tokensNotBefore} null). */
    public DeviceCredentials credentials() {
        return new DeviceCredentials(deviceId, userId, publicKey, active, null, deviceType);
    }
}
