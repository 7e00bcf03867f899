package dev.pocketbridge.auth.token;

/**
 * Starts a refresh-token family at a device login. Implemented by the refresh feature; declared
 * here so that the token feature does not depend on it (refresh depends on token, not back).
 */
public interface RefreshTokenIssuer {

    /** @return the first refresh token of a new family for this device */
    String startFamily(String userId, String deviceId);
}
