package dev.pocketbridge.common.internal;

/**
 * Paths of the service-to-service HTTP API. They are never routed by the gateway; deployments
 * keep them on the internal network (see docs/operations.md).
 */
public final class InternalApi {

    /** auth-service: {@code POST} a {@link ChallengeConsumption}; 204 when consumed, 404 problem otherwise. */
    public static final String CONSUME_CHALLENGE = "/internal/v1/challenges/consume";
    /** device-service: {@code GET} → {@link DeviceCredentials}; 404 problem for an unknown device. */
    public static final String DEVICE = "/internal/v1/devices/{deviceId}";
    /** event-service: {@code GET} → {@link DevicePosition}. */
    public static final String DEVICE_POSITION = "/internal/v1/users/{userId}/devices/{deviceId}/position";
    /**
     * event-service: {@code GET ?device_id&after_seq&limit&continuation_token} →
     * {@link dev.pocketbridge.common.protocol.ReplayPage}; 400 problem {@code invalid_request}.
     */
    public static final String REPLAY = "/internal/v1/users/{userId}/events";

    private InternalApi() {
    }
}
