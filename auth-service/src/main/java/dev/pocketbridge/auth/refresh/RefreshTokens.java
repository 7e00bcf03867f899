package dev.pocketbridge.auth.refresh;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.pocketbridge.auth.AuthProblemCodes;
import dev.pocketbridge.auth.device.DeviceSignOuts;
import dev.pocketbridge.auth.token.AccessTokens;
import dev.pocketbridge.auth.token.RefreshTokenIssuer;
import dev.pocketbridge.auth.token.TokenResponse;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.DeviceDirectory;

/**
 * Rotating refresh tokens: single use; the device must still be known to device-service and admit the
 * login the token belongs to ({@link DeviceCredentials#admits}, with the family's start as its time);
 * reuse revokes the device's families and signs the device out at device-service, which ends its
 * access tokens too.
 */
@Service
class RefreshTokens implements RefreshTokenIssuer {

    private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);

    private final RefreshTokenStore store;
    private final RefreshFamilies families;
    private final DeviceDirectory devices;
    private final DeviceSignOuts signOuts;
    private final AccessTokens accessTokens;
    private final RefreshProperties properties;

    RefreshTokens(RefreshTokenStore store, RefreshFamilies families, DeviceDirectory devices,
            DeviceSignOuts signOuts, AccessTokens accessTokens, RefreshProperties properties) {
        this.store = store;
        this.families = families;
        this.devices = devices;
        this.signOuts = signOuts;
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
        // Asked on every refresh, never from a cache, and before the rotation so that a device-service
        // outage (503) does not spend the token.
        DeviceCredentials device = devices.find(owner.deviceId().toString()).orElse(null);
        if (device == null) {
            // Removed, or its user deleted: nothing of it is kept (the account change will say so too).
            families.deleteDevices(List.of(owner.deviceId()));
            throw failed();
        }
        if (!device.admits(owner.userId().toString(), owner.loginAt())) {
            // Revoked, or signed out after this login began.
            families.revokeDevice(owner.deviceId());
            throw failed();
        }
        return switch (store.rotate(rawToken)) {
            case RefreshTokenStore.Rotation.Rotated rotated -> TokenResponse.of(
                    accessTokens.forDevice(device.userId(), owner.deviceId().toString()), rotated.newToken());
            case RefreshTokenStore.Rotation.Reused reused -> {
                UUID deviceId = reused.owner().deviceId();
                // The refusal stands whether or not device-service answers; an unconfirmed sign-out stays pending.
                boolean signedOut = signOuts.deliver(deviceId);
                log.warn("refresh token reused for device {}: its refresh tokens are revoked, its access tokens {}",
                        deviceId, signedOut ? "signed out" : "to be signed out once device-service answers");
                throw new ApiException(HttpStatus.UNAUTHORIZED, AuthProblemCodes.REFRESH_TOKEN_REUSED,
                        "the refresh token was already used; every token of this device is revoked");
            }
            case RefreshTokenStore.Rotation.Invalid ignored -> throw invalid();
        };
    }

    private static ApiException failed() {
        return new ApiException(HttpStatus.UNAUTHORIZED, AuthProblemCodes.AUTHENTICATION_FAILED,
                "authentication failed");
    }

    private static ApiException invalid() {
        return new ApiException(HttpStatus.UNAUTHORIZED, AuthProblemCodes.REFRESH_TOKEN_INVALID,
                "the refresh token is unknown, expired or revoked");
    }
}
