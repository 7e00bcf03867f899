package dev.pocketbridge.auth.token;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.pocketbridge.auth.AuthProblemCodes;
import dev.pocketbridge.auth.challenge.Challenges;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.internal.ChallengeConsumption;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.DeviceDirectory;

/** A device proves possession of its key over a fresh challenge and gets an access/refresh token pair. */
@Service
class DeviceLogin {

    private static final int CHALLENGE_BYTES = 32;

    private final Challenges challenges;
    private final DeviceDirectory devices;
    private final AccessTokens accessTokens;
    private final RefreshTokenIssuer refreshTokens;

    DeviceLogin(Challenges challenges, DeviceDirectory devices, AccessTokens accessTokens,
            RefreshTokenIssuer refreshTokens) {
        this.challenges = challenges;
        this.devices = devices;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
    }

    TokenResponse login(TokenRequest request) {
        if (!Uuids.isCanonical(request.deviceId())) {
            throw ApiException.invalidRequest("device_id must be a lowercase canonical UUID");
        }
        if (Base64Url.decodeExact(request.challenge(), CHALLENGE_BYTES).isEmpty()) {
            throw ApiException.invalidRequest("challenge must be 32 bytes in base64url");
        }
        byte[] signature = Base64Url.decodeExact(request.signature(), Ed25519.SIGNATURE_BYTES)
                .orElseThrow(() -> ApiException.invalidRequest("signature must be 64 bytes in base64url"));
        // Consumed before anything else: a challenge is spent by any attempt, successful or not.
        if (!challenges.consume(new ChallengeConsumption(request.challenge(), ChallengeConsumption.PURPOSE_TOKEN,
                request.deviceId()))) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, ProblemCodes.CHALLENGE_INVALID,
                    "the challenge is unknown, used, expired or for another device");
        }
        DeviceCredentials device = devices.findActive(request.deviceId()).orElseThrow(DeviceLogin::failed);
        byte[] publicKey = Base64Url.decodeExact(device.publicKey(), Ed25519.PUBLIC_KEY_BYTES)
                .orElseThrow(DeviceLogin::failed);
        if (!Ed25519.verify(publicKey, Transcripts.token(request.deviceId(), request.challenge()), signature)) {
            throw failed();
        }
        String refreshToken = refreshTokens.startFamily(device.userId(), request.deviceId());
        return TokenResponse.of(accessTokens.forDevice(device.userId(), request.deviceId()), refreshToken);
    }

    /** One answer for unknown, inactive and wrongly signed alike, so the endpoint is no oracle for devices. */
    private static ApiException failed() {
        return new ApiException(HttpStatus.UNAUTHORIZED, AuthProblemCodes.AUTHENTICATION_FAILED,
                "authentication failed");
    }

}
