package dev.pocketbridge.common.kafka;

/**
 * Topic names: stable strings documented in {@code docs/asyncapi.yaml}, never class names.
 * Every value is JSON with {@code schema_version}; every key is a string.
 */
public final class Topics {

    /** Events as devices sent them; key {@code user_id}; gateway → event-service. */
    public static final String EVENTS_INBOUND = "events.inbound";
    /** Committed events with their {@code seq}; key {@code user_id}; event-service → relay-service. */
    public static final String EVENTS_STORED = "events.stored";
    /** Devices' cumulative acknowledgements; key {@code user_id}; gateway → event-service. */
    public static final String ACKS = "acks";
    /** Instructions for the sessions of one gateway node ({@link Delivery}); partition = node id; key {@code user_id}. */
    public static final String DELIVERIES = "deliveries";
    /** Compacted node epochs and session opens and closes ({@link Presence}); key {@code node:<id>} or {@code <device_id>:<session_id>}. */
    public static final String PRESENCE = "presence";
    /**
     * Device revocations, restorations and removals ({@link AccountChange}); key {@code user_id};
     * device-service → gateway, relay-service, event-service, auth-service.
     */
    public static final String DEVICES = "devices";
    /**
     * Compacted: the credentials a handshake checks ({@link DeviceCredentialsRecord}), the newest per
     * device, a tombstone once the device is gone; key {@code device_id}; device-service → gateway.
     */
    public static final String DEVICE_CREDENTIALS = "devices.credentials";
    /** Account deletions ({@link AccountChange.UserDeleted}); key {@code user_id}; device-service → every service. */
    public static final String USERS = "users";
    /**
     * What became of each inbound event, for analysts ({@link AnalyticsEvent}): pseudonymised ids and
     * sizes, never payloads; key {@code user_pseudonym}; event-service → analysts (docs/analytics.md).
     */
    public static final String EVENTS_ANALYTICS = "events.analytics";
    /**
     * Header of every record device-service publishes ({@code devices}, {@code users},
     * {@code devices.credentials}): its change number in decimal ASCII, increasing in commit order for
     * any one device, so a reader tells a resent or older record from a newer one.
     */
    public static final String CHANGE_ID_HEADER = "change_id";
    /** Suffix of each consumer's dead-letter topic, e.g. {@code events.inbound.dlt}. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    /**
     * {@code schema_version} of {@code events.stored}, {@code events.analytics}, {@code acks}, {@code devices},
     * {@code devices.credentials} and {@code users}.
     */
    public static final int SCHEMA_VERSION = 1;
    /**
     * {@code schema_version} of {@code events.inbound}: 2 since its records carry the device's
     * {@code event} frame whole ({@link InboundEvent}) instead of its fields flattened.
     */
    public static final int EVENTS_INBOUND_SCHEMA_VERSION = 2;
    /** {@code schema_version} of {@code deliveries}: 2 since its records have a {@code kind} ({@link Delivery}). */
    public static final int DELIVERIES_SCHEMA_VERSION = 2;
    /** {@code schema_version} of {@code presence}: 2 since its kinds are those of {@link Presence}. */
    public static final int PRESENCE_SCHEMA_VERSION = 2;

    /**
     * Largest record any topic accepts ({@code max.message.bytes}) and any producer sends
     * ({@code max.request.size}): a 1 MiB payload in base64url plus its envelope fits with room.
     */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private Topics() {
    }

    public static String presenceSessionKey(String deviceId, String sessionId) {
        return deviceId + ":" + sessionId;
    }

    public static String presenceNodeKey(int nodeId) {
        return "node:" + nodeId;
    }
}
