package dev.pocketbridge.auth.challenge;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.internal.ChallengeConsumption;
import dev.pocketbridge.web.ApiException;

/** Issues and consumes single-use challenges; the token flow of this service consumes them in-process. */
@Service
public class Challenges {

    private final ChallengeRepository repository;
    private final ChallengeProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Challenges(ChallengeRepository repository, ChallengeProperties properties, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    /** A fresh challenge for {@code purpose}; {@code deviceId} is required for token and forbidden for register. */
    IssuedChallenge issue(String purpose, String deviceId) {
        UUID device = switch (purpose == null ? "" : purpose) {
            case ChallengeConsumption.PURPOSE_REGISTER -> {
                if (deviceId != null) {
                    throw ApiException.invalidRequest("device_id must not be given for purpose register");
                }
                yield null;
            }
            case ChallengeConsumption.PURPOSE_TOKEN -> Uuids.parse(deviceId)
                    .orElseThrow(() -> ApiException.invalidRequest("device_id must be a lowercase canonical UUID for purpose token"));
            default -> throw ApiException.invalidRequest("purpose must be register or token");
        };
        byte[] bytes = new byte[properties.bytes()];
        random.nextBytes(bytes);
        Instant now = clock.instant();
        Challenge challenge = new Challenge(Base64Url.encode(bytes), purpose, device, now, now.plus(properties.ttl()));
        repository.save(challenge);
        return new IssuedChallenge(challenge.getId(), challenge.expiresAt().toEpochMilli());
    }

    /**
     * Deletes the challenge when it exists, has this purpose and device and has not expired.
     *
     * @return whether this call consumed it (false for unknown, used, expired, wrong purpose or device alike)
     */
    public boolean consume(ChallengeConsumption consumption) {
        if (consumption == null || consumption.challenge() == null || consumption.purpose() == null) {
            return false;
        }
        Instant now = clock.instant();
        return switch (consumption.purpose()) {
            case ChallengeConsumption.PURPOSE_REGISTER -> consumption.deviceId() == null
                    && repository.consumeRegister(consumption.challenge(), now) == 1;
            case ChallengeConsumption.PURPOSE_TOKEN -> Uuids.parse(consumption.deviceId())
                    .map(device -> repository.consumeToken(consumption.challenge(), device, now) == 1)
                    .orElse(false);
            default -> false;
        };
    }

    /** Deletes the open token challenges of these devices (revoked, removed, or of a deleted user). */
    public int forgetDevices(Collection<UUID> deviceIds) {
        return deviceIds.isEmpty() ? 0 : repository.deleteByDeviceIds(deviceIds);
    }

}
