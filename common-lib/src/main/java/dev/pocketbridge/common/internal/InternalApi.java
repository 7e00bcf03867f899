package dev.pocketbridge.common.internal;

/**
 * Paths of the service-to-service HTTP API. They are never routed by the gateway; deployments
 * keep them on the internal network (see docs/operations.md). Every call carries a service
 * token ({@link #SERVICE_TOKEN}): a device's or admin's access token is refused with 403.
 */
public final class InternalApi {

    /**
     * auth-service: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). {@code POST} form
     * {@code grant_type=client_credentials} with the service client's id and secret as HTTP Basic
     * → {@code {access_token, token_type, expires_in, scope}}. The only internal path without a token.
     */
    public static final String SERVICE_TOKEN = "/internal/v1/oauth2/token";
    /** The scope of a service token, and the one scope the token endpoint grants. */
    public static final String SERVICE_SCOPE = "internal";
    /** The {@code aud} of a service token; access tokens of devices and admins have none. */
    public static final String SERVICE_AUDIENCE = "pocketbridge-internal";

    /** auth-service: {@code POST} a {@link ChallengeConsumption}; 204 when consumed, 404 problem otherwise. */
    public static final String CONSUME_CHALLENGE = "/internal/v1/challenges/consume";
    /** device-service: {@code GET} → {@link DeviceCredentials}; 404 problem for an unknown device. */
    public static final String DEVICE = "/internal/v1/devices/{deviceId}";
    /**
     * device-service: {@code POST} a {@link DeviceLookups.Query} of 1 to {@link #MAX_BATCH} device ids →
     * {@link DeviceLookups.Answer}, the credentials of each in the order asked, null for one that is
     * not found; 400 problem {@code invalid_request}. What the gateway's handshakes ask, in batches.
     */
    public static final String DEVICE_LOOKUPS = "/internal/v1/device-lookups";
    /**
     * device-service: {@code POST}, no body → 204: every access token of the device issued before now
     * stops working ({@link DeviceCredentials#tokensNotBefore}); auth-service calls it when a used
     * refresh token is presented again. 404 problem for an unknown device.
     */
    public static final String DEVICE_SIGN_OUT = "/internal/v1/devices/{deviceId}/sign-out";
    /**
     * event-service: {@code POST} a {@link DevicePositions.Query} of 1 to {@link #MAX_BATCH}
     * devices → {@link DevicePositions.Answer}, one position per device in the order asked; 400
     * problem {@code invalid_request}. A batch, so that the gateway asks once for the handshakes in
     * flight together rather than once for each.
     */
    public static final String DEVICE_POSITIONS = "/internal/v1/positions";
    /**
     * The most devices one {@link #DEVICE_LOOKUPS} or {@link #DEVICE_POSITIONS} call may ask about: a
     * full batch (about 13 KiB of positions query) stays under the services' default request body limit of 16 KiB.
     */
    public static final int MAX_BATCH = 128;
    /**
     * event-service: {@code GET ?device_id&after_seq&limit&continuation_token} →
     * {@link dev.pocketbridge.common.protocol.ReplayPage}, written by the wire's mapper, with the page's
     * continuation token also in the header {@link #REPLAY_CONTINUATION_HEADER} (so the next page can
     * be asked for without reading this one); 400 problem {@code invalid_request}.
     */
    public static final String REPLAY = "/internal/v1/users/{userId}/events";
    /** The response header of {@link #REPLAY} that repeats the page's {@code continuation_token}, when it has one. */
    public static final String REPLAY_CONTINUATION_HEADER = "Pocketbridge-Continuation-Token";

    private InternalApi() {
    }
}
