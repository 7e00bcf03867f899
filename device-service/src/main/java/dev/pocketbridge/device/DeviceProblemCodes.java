package dev.pocketbridge.device;

/** Problem {@code code}s only device-service emits (shared ones are in {@code common.internal.ProblemCodes}). */
public final class DeviceProblemCodes {

    public static final String INVALID_DEVICE_NAME = "invalid_device_name";
    public static final String DEVICE_NAME_TAKEN = "device_name_taken";
    public static final String DEVICE_LIMIT_REACHED = "device_limit_reached";
    public static final String PUBLIC_KEY_TAKEN = "public_key_taken";
    public static final String PAIRING_TOKEN_INVALID = "pairing_token_invalid";
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";

    private DeviceProblemCodes() {
    }
}
