package dev.pocketbridge.auth.refresh;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.pocketbridge.auth.AuthProblemCodes;
import dev.pocketbridge.auth.device.DeviceDirectory;
import dev.pocketbridge.auth.token.AccessTokens;
import dev.pocketbridge.auth.token.RefreshTokenIssuer;
import dev.pocketbridge.auth.token.TokenResponse;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.web.ApiException;

/** Rotating refresh tokens: single use, reuse revokes the device's families, the device must still be active. */
@Service
class RefreshTokens implements RefreshTokenIssuer {

    private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);

    private final RefreshTokenStore store;
    private final DeviceDirectory devices;
    private final AccessTokens accessTokens;
    private final RefreshProperties properties;

    RefreshTokens(RefreshTokenStore store, DeviceDirectory devices, AccessTokens accessTokens,
            RefreshProperties properties) {
        this.store = store;
        this.devices = devices;
        this.accessTokens = accessTokens;
        this.properties = properties;
    }

    @Override
    public String startFamily(String userId, String deviceId) {
        return store.startFamily(UUID.fromString(userId), UUID.fromString(deviceId));
    }

    TokenResponse refresh(String rawToken) {
        if (Base64Url.decodeExact(rawToken, properties.bytes()).isEmpty()) {
            throw invalid();
        }
        RefreshTokenStore.Owner owner = store.owner(rawToken).orElseThrow(RefreshTokens::invalid);
        // Checked before the rotation so that a device-service outage (503) does not spend the token.
        DeviceCredentials device = devices.findActive(owner.deviceId().toString()).orElse(null);
        if (device == null) {
            store.revokeDevice(owner.deviceId());
            throw new ApiException(HttpStatus.UNAUTHORIZED, AuthProblemCodes.AUTHENTICATION_FAILED,
                    "authentication failed");
        }
        return switch (store.rotate(rawToken)) {
            case RefreshTokenStore.Rotation.Rotated rotated -> TokenResponse.of(
                    accessTokens.forDevice(device.userId(), owner.deviceId().toString()), rotated.newToken());
            case RefreshTokenStore.Rotation.Reused reused -> {
                log.warn("refresh token reused for device {}: its refresh tokens are revoked", reused.owner().deviceId());
                throw new ApiException(HttpStatus.UNAUTHORIZED, AuthProblemCodes.REFRESH_TOKEN_REUSED,
                        "the refresh token was already used; every refresh token of this device is revoked");
            }
            case RefreshTokenStore.Rotation.Invalid ignored -> throw invalid();
        };
    }

    private static ApiException invalid() {
        return new ApiException(HttpStatus.UNAUTHORIZED, AuthProblemCodes.REFRESH_TOKEN_INVALID,
                "the refresh token is unknown, expired or revoked");
    }
}
