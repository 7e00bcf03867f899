package dev.pocketbridge.auth.refresh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.auth.device.DeviceSignOuts;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.ids.Uuids;

/**
 * The refresh-token families in PostgreSQL. Each method is one transaction that commits what it
 * decided (a revocation included) and reports the decision; the caller turns it into an answer.
 */
@Component
class RefreshTokenStore {

    private final RefreshTokenRepository tokens;
    private final RefreshTokenFamilyRepository families;
    private final DeviceSignOuts signOuts;
    private final RefreshProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RefreshTokenStore(RefreshTokenRepository tokens, RefreshTokenFamilyRepository families, DeviceSignOuts signOuts,
            RefreshProperties properties, Clock clock) {
        this.tokens = tokens;
        this.families = families;
        this.signOuts = signOuts;
        this.properties = properties;
        this.clock = clock;
    }

    /** Who a presented token belongs to, and when its family (the device's login) began. */
    record Owner(UUID userId, UUID deviceId, Instant loginAt) {
    }

    /** What a rotation decided. */
    sealed interface Rotation {

        /** The token was valid; {@code newToken} replaces it in the same family. */
        record Rotated(String newToken, Owner owner) implements Rotation {
        }

        /**
         * The token had been used before: every family of its device is now revoked, and a sign-out
         * of the device at device-service is pending ({@link DeviceSignOuts}).
         */
        record Reused(Owner owner) implements Rotation {
        }

        /** Unknown, expired, or of a revoked family. */
        record Invalid() implements Rotation {
        }
    }

    /** A new family for a device login and its first token. */
    @Transactional
    String startFamily(UUID userId, UUID deviceId) {
        Instant now = clock.instant();
        RefreshTokenFamily family = new RefreshTokenFamily(Uuids.v7(clock), deviceId, userId, now);
        families.save(family);
        return issue(family.getId(), now);
    }

    /** The owner of a token that may still be rotated (exists, family not revoked); nothing is changed. */
    @Transactional(readOnly = true)
    Optional<Owner> owner(String rawToken) {
        return tokens.familyOf(hash(rawToken)).flatMap(families::findById)
                .filter(family -> !family.revoked())
                .map(RefreshTokenStore::owner);
    }

    /**
     * Marks the token used and issues its successor, or detects reuse: revokes the device's families
     * and requests its sign-out, in this one transaction.
     */
    @Transactional
    Rotation rotate(String rawToken) {
        Instant now = clock.instant();
        String hash = hash(rawToken);
        Optional<RefreshTokenFamily> locked = tokens.familyOf(hash).flatMap(families::lockById);
        if (locked.isEmpty() || locked.get().revoked()) {
            return new Rotation.Invalid();
        }
        RefreshTokenFamily family = locked.get();
        Owner owner = owner(family);
        // Read after the family lock, so a concurrent rotation of the same token is seen as used.
        RefreshToken token = tokens.findById(hash).orElse(null);
        if (token == null) {
            return new Rotation.Invalid();
        }
        if (token.used()) {
            families.revokeDevice(family.deviceId(), now);
            signOuts.request(family.userId(), family.deviceId());
            return new Rotation.Reused(owner);
        }
        if (token.expiredAt(now)) {
            return new Rotation.Invalid();
        }
        token.markUsed(now);
        return new Rotation.Rotated(issue(family.getId(), now), owner);
    }

    /** Deletes expired tokens and families left without tokens, in bounded batches; returns rows deleted. */
    /** Deletes at most {@code limit} expired tokens, in a transaction of its own. */
    @Transactional
    int purgeExpiredTokens(int limit) {
        return tokens.purgeExpired(clock.instant(), limit);
    }

    /** Deletes at most {@code limit} families left without tokens, in a transaction of its own. */
    @Transactional
    int purgeEmptyFamilies(int limit) {
        return families.purgeEmpty(limit);
    }

    private static Owner owner(RefreshTokenFamily family) {
        return new Owner(family.userId(), family.deviceId(), family.createdAt());
    }

    private String issue(UUID familyId, Instant now) {
        byte[] bytes = new byte[properties.bytes()];
        random.nextBytes(bytes);
        String raw = Base64Url.encode(bytes);
        tokens.save(new RefreshToken(hash(raw), familyId, now, now.plus(properties.ttl())));
        return raw;
    }

    static String hash(String rawToken) {
        try {
            return Base64Url.encode(MessageDigest.getInstance("SHA-256")
                    .digest(rawToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
