package dev.pocketbridge.device.pairing;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.device.DeviceProblemCodes;
import dev.pocketbridge.device.Hashes;
import dev.pocketbridge.web.ApiException;

/** Makes pairing codes for a user's device and redeems them (once) for a pairing token. */
@Service
class Pairings {

    private final PairingCodeRepository codes;
    private final PairingTokens tokens;
    private final PairingProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Pairings(PairingCodeRepository codes, PairingTokens tokens, PairingProperties properties, Clock clock) {
        this.codes = codes;
        this.tokens = tokens;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional
    PairingCreated create(UUID userId, UUID deviceId, String encryptedPayload) {
        long length = Base64Url.decodedLength(encryptedPayload);
        if (length > properties.maxPayloadBytes()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, DeviceProblemCodes.PAYLOAD_TOO_LARGE,
                    "encrypted_payload must decode to at most " + properties.maxPayloadBytes() + " bytes");
        }
        if (Base64Url.decode(encryptedPayload).filter(bytes -> bytes.length > 0).isEmpty()) {
            throw ApiException.invalidRequest("encrypted_payload must be non-empty base64url without padding");
        }
        String code;
        do {
            // 2^40 codes: a clash with a live one is improbable, but a clash must never merge two pairings.
            code = PairingCodes.generate(random);
        } while (codes.existsById(Hashes.sha256(code)));
        Instant now = clock.instant();
        Instant expiresAt = now.plus(properties.codeTtl());
        codes.save(new PairingCode(Hashes.sha256(code), userId, deviceId, encryptedPayload, now, expiresAt));
        return new PairingCreated(PairingCodes.display(code), expiresAt.toEpochMilli());
    }

    /** The code's payload and a fresh pairing token; empty for a malformed, unknown, used or expired code alike. */
    @Transactional
    Optional<PairingRedeemed> redeem(String input) {
        Optional<String> hash = PairingCodes.normalize(input).map(Hashes::sha256);
        Optional<PairingCode> code = hash.flatMap(codes::findById)
                .filter(found -> codes.consume(found.getId(), clock.instant()) == 1);
        return code.map(found -> {
            PairingTokens.Issued token = tokens.issue(found.userId());
            return new PairingRedeemed(found.userId().toString(), found.encryptedPayload(), token.token(),
                    token.expiresAt().toEpochMilli());
        });
    }
}
