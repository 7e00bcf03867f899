package dev.pocketbridge.device.pairing;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.device.Hashes;
import dev.pocketbridge.device.registry.PairingTokenConsumer;

/** Single-use pairing tokens: issued by a code lookup, consumed by the registration that joins the user. */
@Component
class PairingTokens implements PairingTokenConsumer {

    private final PairingTokenRepository tokens;
    private final PairingProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    PairingTokens(PairingTokenRepository tokens, PairingProperties properties, Clock clock) {
        this.tokens = tokens;
        this.properties = properties;
        this.clock = clock;
    }

    /** A new token bound to {@code userId}; it is stored hashed, the plain value goes to the caller only. */
    record Issued(String token, Instant expiresAt) {
    }

    @Transactional
    Issued issue(UUID userId) {
        byte[] bytes = new byte[properties.tokenBytes()];
        random.nextBytes(bytes);
        String token = Base64Url.encode(bytes);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(properties.tokenTtl());
        tokens.save(new PairingToken(Hashes.sha256(token), userId, now, expiresAt));
        return new Issued(token, expiresAt);
    }

    /**
     * Consumes the token in the caller's transaction (a rollback makes it usable again).
     *
     * @return the user it was issued for; empty when it is malformed, unknown, used or expired
     */
    @Transactional
    @Override
    public Optional<UUID> consume(String token) {
        if (Base64Url.decodeExact(token, properties.tokenBytes()).isEmpty()) {
            return Optional.empty();
        }
        String hash = Hashes.sha256(token);
        return tokens.findById(hash)
                .filter(found -> tokens.consume(hash, clock.instant()) == 1)
                .map(PairingToken::userId);
    }
}
