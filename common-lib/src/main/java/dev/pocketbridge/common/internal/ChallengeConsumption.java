package dev.pocketbridge.common.internal;

/** Consume a challenge once; {@code device_id} is required for purpose {@code token}, absent for {@code register}. */
public record ChallengeConsumption(String challenge, String purpose, String deviceId) {

    public static final String PURPOSE_REGISTER = "register";
    public static final String PURPOSE_TOKEN = "token";
}
