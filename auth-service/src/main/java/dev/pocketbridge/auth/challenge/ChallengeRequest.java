package dev.pocketbridge.auth.challenge;

import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /api/v1/auth/challenge}: purpose {@code register}, or {@code token} with the device. */
record ChallengeRequest(@NotNull String purpose, String deviceId) {
}
