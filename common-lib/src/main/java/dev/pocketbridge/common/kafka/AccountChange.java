package dev.pocketbridge.common.kafka;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.ids.Uuids;

/**
 * A change to a user's account that other services must act on, published by device-service
 * (which owns users and devices) once it is committed, keyed by {@code user_id} so one user's
 * changes keep their order. Device changes go to {@link Topics#DEVICES}, deletions to
 * {@link Topics#USERS}; {@code kind} tells them apart. Consumers act idempotently: a change may
 * arrive more than once (at-least-once publishing from device-service's outbox).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AccountChange.DeviceRevoked.class, name = "device_revoked"),
        @JsonSubTypes.Type(value = AccountChange.DeviceUnrevoked.class, name = "device_unrevoked"),
        @JsonSubTypes.Type(value = AccountChange.DeviceRemoved.class, name = "device_removed"),
        @JsonSubTypes.Type(value = AccountChange.UserDeleted.class, name = "user_deleted")
})
public sealed interface AccountChange {

    /**
     * Reads a record's value: the one reading every consumer applies, so all of them refuse the same
     * records.
     *
     * @throws tools.jackson.core.JacksonException when it is not JSON of a known {@code kind}
     * @throws MalformedAccountChangeException when there is no value, or an id is not a canonical UUID
     */
    static AccountChange read(String value) {
        AccountChange change = value == null ? null : Json.read(value, AccountChange.class);
        if (change == null) {
            throw new MalformedAccountChangeException("record without an account change");
        }
        canonical(change.userId(), "user_id");
        switch (change) {
            case DeviceRevoked revoked -> canonical(revoked.deviceId(), "device_id");
            case DeviceUnrevoked unrevoked -> canonical(unrevoked.deviceId(), "device_id");
            case DeviceRemoved removed -> canonical(removed.deviceId(), "device_id");
            case UserDeleted deleted -> deleted.deviceIds().forEach(id -> canonical(id, "device_ids"));
        }
        return change;
    }

    private static void canonical(String id, String field) {
        if (!Uuids.isCanonical(id)) {
            throw new MalformedAccountChangeException(field + " is not a canonical UUID");
        }
    }

    int schemaVersion();

    String userId();

    /** When device-service committed the change (epoch milliseconds, its clock). */
    long at();

    /** The topic this change is published to. */
    String topic();

    /** An admin revoked the device: its sessions close with 4003, its tokens and handshakes fail. */
    record DeviceRevoked(int schemaVersion, String userId, String deviceId, String reason, long at)
            implements AccountChange {

        public DeviceRevoked(String userId, String deviceId, String reason, long at) {
            this(Topics.SCHEMA_VERSION, userId, deviceId, reason, at);
        }

        @Override
        public String topic() {
            return Topics.DEVICES;
        }
    }

    /** An admin restored a revoked device: it may log in and connect again. */
    record DeviceUnrevoked(int schemaVersion, String userId, String deviceId, long at) implements AccountChange {

        public DeviceUnrevoked(String userId, String deviceId, long at) {
            this(Topics.SCHEMA_VERSION, userId, deviceId, at);
        }

        @Override
        public String topic() {
            return Topics.DEVICES;
        }
    }

    /** The user removed the device: like a revocation, and its data (cursor, tokens) is erased. */
    record DeviceRemoved(int schemaVersion, String userId, String deviceId, long at) implements AccountChange {

        public DeviceRemoved(String userId, String deviceId, long at) {
            this(Topics.SCHEMA_VERSION, userId, deviceId, at);
        }

        @Override
        public String topic() {
            return Topics.DEVICES;
        }
    }

    /**
     * The user deleted their account: every service erases every row about the user. {@code deviceIds}
     * are the devices the user had, for data kept by device (challenges, cursors, presence).
     */
    record UserDeleted(int schemaVersion, String userId, List<String> deviceIds, long at) implements AccountChange {

        public UserDeleted {
            deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
        }

        public UserDeleted(String userId, List<String> deviceIds, long at) {
            this(Topics.SCHEMA_VERSION, userId, deviceIds, at);
        }

        @Override
        public String topic() {
            return Topics.USERS;
        }
    }
}
