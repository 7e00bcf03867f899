package dev.pocketbridge.auth.token;

import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /api/v1/auth/token}: the device signs the token transcript over a fresh challenge. */
record TokenRequest(@NotNull String deviceId, @NotNull String challenge, @NotNull String signature) {
}
