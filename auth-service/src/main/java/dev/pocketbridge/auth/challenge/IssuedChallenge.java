package dev.pocketbridge.auth.challenge;

/** {@code 201} body of {@code POST /api/v1/auth/challenge}; {@code expires_at} in epoch millis. */
record IssuedChallenge(String challenge, long expiresAt) {
}
