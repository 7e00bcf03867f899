package dev.pocketbridge.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.internal.InternalApi;

/** Signs ES256 access tokens (devices', admins' and services') with the claims every resource server relies on. */
@Component
public class AccessTokens {

    public static final String CLAIM_USER_ID = "user_id";
    public static final String CLAIM_DEVICE_ID = "device_id";
    public static final String CLAIM_ROLES = "roles";
    public static final String ROLE_DEVICE = "device";
    public static final String ROLE_ADMIN = "admin";
    public static final String CLAIM_SCOPE = "scope";

    private final JwtEncoder encoder;
    private final SigningKey key;
    private final TokenProperties properties;
    private final Clock clock;

    AccessTokens(JwtEncoder encoder, SigningKey key, TokenProperties properties, Clock clock) {
        this.encoder = encoder;
        this.key = key;
        this.properties = properties;
        this.clock = clock;
    }

    /** A signed access token and its lifetime in seconds. */
    public record Issued(String token, long expiresIn) {
    }

    /** {@code sub} = device id, roles {@code ["device"]}. */
    public Issued forDevice(String userId, String deviceId) {
        return sign(deviceId, properties.accessTokenTtl(), claims -> claims
                .claim(CLAIM_USER_ID, userId)
                .claim(CLAIM_DEVICE_ID, deviceId)
                .claim(CLAIM_ROLES, List.of(ROLE_DEVICE)));
    }

    /** {@code sub} = {@code admin:<username>}, roles {@code ["admin"]}, no user or device. */
    public Issued forAdmin(String username, Duration ttl) {
        return sign("admin:" + username, ttl, claims -> claims.claim(CLAIM_ROLES, List.of(ROLE_ADMIN)));
    }

    /**
     * {@code sub} = {@code service:<clientId>}, {@code aud} = {@link InternalApi#SERVICE_AUDIENCE},
     * {@code scope} = {@link InternalApi#SERVICE_SCOPE}; no roles, user or device: it opens the
     * internal API and nothing else.
     */
    public Issued forService(String clientId, Duration ttl) {
        return sign("service:" + clientId, ttl, claims -> claims
                .audience(List.of(InternalApi.SERVICE_AUDIENCE))
                .claim(CLAIM_SCOPE, InternalApi.SERVICE_SCOPE));
    }

    private Issued sign(String subject, Duration ttl, java.util.function.UnaryOperator<JwtClaimsSet.Builder> extra) {
        // JWT times are whole seconds; truncating keeps exp - iat exactly the configured lifetime.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JwtClaimsSet claims = extra.apply(JwtClaimsSet.builder()
                .issuer(properties.issuer())
                .subject(subject)
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .id(Uuids.v7(clock).toString()))
                .build();
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.ES256).keyId(key.kid()).build();
        String token = encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
        return new Issued(token, ttl.toSeconds());
    }
}
