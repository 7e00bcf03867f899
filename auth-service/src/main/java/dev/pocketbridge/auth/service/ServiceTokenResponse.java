package dev.pocketbridge.auth.service;

import dev.pocketbridge.auth.token.AccessTokens;
import dev.pocketbridge.auth.token.TokenResponse;
import dev.pocketbridge.common.internal.InternalApi;

/** The token endpoint's answer (RFC 6749 §5.1); {@code expires_in} is in seconds. */
record ServiceTokenResponse(String accessToken, String tokenType, long expiresIn, String scope) {

    static ServiceTokenResponse of(AccessTokens.Issued token) {
        return new ServiceTokenResponse(token.token(), TokenResponse.BEARER, token.expiresIn(),
                InternalApi.SERVICE_SCOPE);
    }
}
