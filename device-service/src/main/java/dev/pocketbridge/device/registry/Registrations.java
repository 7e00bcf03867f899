package dev.pocketbridge.device.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.device.DeviceProblemCodes;
import dev.pocketbridge.device.account.AccountChanges;
import dev.pocketbridge.device.challenge.ChallengeConsumer;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;
import dev.pocketbridge.web.ApiException;

/**
 * Registers devices. Order: validate the request, verify the signature (local, no side effects),
 * consume the challenge at auth-service (before any transaction, so no database connection waits on
 * HTTP), then one transaction that consumes the pairing token, locks the user row, adds the
 * device and puts its credentials in the outbox for the gateways ({@link AccountChanges}). A
 * failure in that transaction rolls the pairing token's consumption back with it.
 */
@Service
class Registrations {

    private final UserRepository users;
    private final DeviceRepository devices;
    private final PairingTokenConsumer pairingTokens;
    private final ChallengeConsumer challenges;
    private final RegistryProperties properties;
    private final ProtocolLimitsProperties limits;
    private final AccountChanges changes;
    private final TransactionTemplate transaction;
    private final Clock clock;

    Registrations(UserRepository users, DeviceRepository devices, PairingTokenConsumer pairingTokens,
            ChallengeConsumer challenges, RegistryProperties properties, ProtocolLimitsProperties limits,
            AccountChanges changes, TransactionTemplate transaction, Clock clock) {
        this.users = users;
        this.devices = devices;
        this.pairingTokens = pairingTokens;
        this.challenges = challenges;
        this.properties = properties;
        this.limits = limits;
        this.changes = changes;
        this.transaction = transaction;
        this.clock = clock;
    }

    RegistrationResponse register(RegistrationRequest request) {
        if (Base64Url.decodeExact(request.publicKey(), Ed25519.PUBLIC_KEY_BYTES).isEmpty()) {
            throw ApiException.invalidRequest("public_key must be 32 bytes, base64url without padding");
        }
        byte[] signature = Base64Url.decodeExact(request.signature(), Ed25519.SIGNATURE_BYTES)
                .orElseThrow(() -> ApiException.invalidRequest("signature must be 64 bytes, base64url without padding"));
        if (Base64Url.decode(request.challenge()).filter(bytes -> bytes.length > 0).isEmpty()) {
            throw ApiException.invalidRequest("challenge must be base64url without padding");
        }
        String name = DeviceNames.normalize(request.deviceName(), properties.maxNameCodePoints())
                .orElseThrow(() -> Registry.invalidName(properties));
        String transcript = Transcripts.register(request.publicKey(), request.deviceType(), request.challenge());
        byte[] publicKey = Base64Url.decode(request.publicKey()).orElseThrow();
        if (!Ed25519.verify(publicKey, transcript, signature)) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, ProblemCodes.SIGNATURE_INVALID,
                    "the signature does not verify with public_key over the register transcript");
        }
        challenges.consumeForRegistration(request.challenge());
        return transaction.execute(status -> add(request, name));
    }

    private RegistrationResponse add(RegistrationRequest request, String name) {
        Instant now = clock.instant();
        UUID userId;
        if (request.pairingToken() != null) {
            userId = pairingTokens.consume(request.pairingToken()).orElseThrow(Registrations::pairingTokenInvalid);
            // The user row may be gone (user deleted since the code was made): the token is worthless then.
            users.lockById(userId).orElseThrow(Registrations::pairingTokenInvalid);
            if (devices.countActive(userId) >= limits.maxDevicesPerUser()) {
                throw Registry.limitReached(limits);
            }
            if (devices.existsByUserIdAndNameKey(userId, DeviceNames.key(name))) {
                throw Registry.nameTaken();
            }
        } else {
            userId = Uuids.v7(clock);
            users.save(new UserAccount(userId, now));
        }
        if (devices.existsByPublicKey(request.publicKey())) {
            throw publicKeyTaken();
        }
        Device device = new Device(Uuids.v7(clock), userId, request.publicKey(), name, request.deviceType(), now);
        try {
            devices.saveAndFlush(device);
        } catch (DataIntegrityViolationException e) {
            // A concurrent registration of the same key won the race past the check above.
            if (Registry.violates(e, "devices_public_key_unique")) {
                throw publicKeyTaken();
            }
            if (Registry.violates(e, "devices_user_name_unique")) {
                throw Registry.nameTaken();
            }
            throw e;
        }
        changes.publishCredentials(device.credentials());
        return new RegistrationResponse(userId.toString(), device.getId().toString());
    }

    private static ApiException publicKeyTaken() {
        return new ApiException(HttpStatus.CONFLICT, DeviceProblemCodes.PUBLIC_KEY_TAKEN,
                "this public key is already registered");
    }

    private static ApiException pairingTokenInvalid() {
        return new ApiException(HttpStatus.UNAUTHORIZED, DeviceProblemCodes.PAIRING_TOKEN_INVALID,
                "the pairing token is unknown, used or expired");
    }
}
