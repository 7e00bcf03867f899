package dev.pocketbridge.auth.token;

/** A token answer; {@code refresh_token} is absent for admin tokens. {@code expires_in} is in seconds. */
public record TokenResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {

    public static final String BEARER = "Bearer";

    public static TokenResponse of(AccessTokens.Issued access, String refreshToken) {
        return new TokenResponse(access.token(), refreshToken, BEARER, access.expiresIn());
    }
}
