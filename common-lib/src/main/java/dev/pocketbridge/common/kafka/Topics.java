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
    /** Frames for the sessions of one gateway node; partition = node id; key {@code user_id}. */
    public static final String DELIVERIES = "deliveries";
    /** Compacted session open/close and node epochs; key {@code <device_id>:<session_id>} or {@code node:<id>}. */
    public static final String PRESENCE = "presence";
    /**
     * Device revocations, restorations and removals ({@link AccountChange}); key {@code user_id};
     * device-service → gateway, relay-service, event-service, auth-service.
     */
    public static final String DEVICES = "devices";
    /** Account deletions ({@link AccountChange.UserDeleted}); key {@code user_id}; device-service → every service. */
    public static final String USERS = "users";
    /** Suffix of each consumer's dead-letter topic, e.g. {@code events.inbound.dlt}. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    public static final int SCHEMA_VERSION = 1;

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
