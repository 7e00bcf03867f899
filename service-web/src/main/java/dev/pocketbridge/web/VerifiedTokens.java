package dev.pocketbridge.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * A {@link JwtDecoder} that verifies each distinct token once and reuses the result until the
 * token expires, for at most {@code maxAge}. The same string always verifies the same way, and
 * most bearer tokens a service sees are the few service tokens of its callers, presented on every
 * internal request: verifying an ES256 signature each time took about a fifth of event-service's
 * and device-service's CPU during a burst of handshakes (docs/performance.md).
 *
 * <p>What is cached is a token that passed every check of the delegate (signature, time, issuer);
 * an entry ends at the token's {@code exp}, so an expired token goes back to the delegate, which
 * refuses it. A token without {@code exp} is never cached. A failure is never cached. What this
 * gives up: a token signed by a key that leaves the key set is still accepted for up to
 * {@code maxAge}. Revocation is not affected: device tokens are checked against device-service on
 * every request ({@link DeviceDirectory#requireAdmitted}), after decoding.
 */
final class VerifiedTokens implements JwtDecoder {

    private final JwtDecoder delegate;
    private final Clock clock;
    private final Duration maxAge;
    private final Cache<String, Jwt> verified;

    VerifiedTokens(JwtDecoder delegate, Duration maxAge, long maxTokens, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.maxAge = maxAge;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxTokens)
                .expireAfter(Expiry.creating((String token, Jwt jwt) -> lifetime(jwt)))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt cached = verified.getIfPresent(token);
        if (cached != null) {
            return cached;
        }
        Jwt jwt = delegate.decode(token);
        if (!lifetime(jwt).isZero()) {
            verified.put(token, jwt);
        }
        return jwt;
    }

    /** How long a verified token may be reused: until its expiry, at most {@code maxAge}; zero: not at all. */
    private Duration lifetime(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), expiresAt);
        return left.isNegative() ? Duration.ZERO : left.compareTo(maxAge) > 0 ? maxAge : left;
    }
}
