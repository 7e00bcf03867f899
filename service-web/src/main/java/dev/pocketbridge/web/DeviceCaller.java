package dev.pocketbridge.web;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;

import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.internal.ProblemCodes;

/**
 * The device a verified access token speaks for: its {@code user_id} and {@code device_id} claims
 * with {@code device} among its {@code roles}, and when it was issued ({@code iat}, which
 * {@link dev.pocketbridge.common.internal.DeviceCredentials#admits} checks against the device's
 * sign-out). Any other token (an admin's) is refused with {@code 403 forbidden}; service tokens never
 * get this far ({@link BearerApiSecurity}). The one reading of device tokens for every service.
 */
public record DeviceCaller(UUID userId, UUID deviceId, Instant issuedAt) {

    public static final String CLAIM_USER_ID = "user_id";
    public static final String CLAIM_DEVICE_ID = "device_id";
    public static final String CLAIM_ROLES = "roles";
    public static final String ROLE_DEVICE = "device";

    public static DeviceCaller of(Jwt jwt) {
        Object roles = jwt.getClaim(CLAIM_ROLES);
        boolean device = roles instanceof Collection<?> list && list.contains(ROLE_DEVICE);
        Optional<UUID> user = Uuids.parse(jwt.getClaimAsString(CLAIM_USER_ID));
        Optional<UUID> deviceId = Uuids.parse(jwt.getClaimAsString(CLAIM_DEVICE_ID));
        if (!device || user.isEmpty() || deviceId.isEmpty()) {
            throw new ApiException(HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "a device access token is required");
        }
        return new DeviceCaller(user.get(), deviceId.get(), jwt.getIssuedAt());
    }
}
