package dev.pocketbridge.device;

import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;

import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ApiException;

/**
 * The device a bearer token speaks for: its {@code user_id} and {@code device_id} claims, and when it
 * was issued ({@code iat}). Tokens
 * without them (admin tokens) are not device tokens and are refused with {@code 403 forbidden}.
 */
public record Caller(UUID userId, UUID deviceId, Instant issuedAt) {

    static final String CLAIM_USER_ID = "user_id";
    static final String CLAIM_DEVICE_ID = "device_id";
    static final String CLAIM_ROLES = "roles";
    static final String ROLE_DEVICE = "device";

    public static Caller of(Jwt jwt) {
        Object roles = jwt.getClaim(CLAIM_ROLES);
        boolean device = roles instanceof Collection<?> list && list.contains(ROLE_DEVICE);
        var user = Uuids.parse(jwt.getClaimAsString(CLAIM_USER_ID));
        var deviceId = Uuids.parse(jwt.getClaimAsString(CLAIM_DEVICE_ID));
        if (!device || user.isEmpty() || deviceId.isEmpty()) {
            throw new ApiException(HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "a device access token is required");
        }
        return new Caller(user.get(), deviceId.get(), jwt.getIssuedAt());
    }
}
