package dev.pocketbridge.device;

import java.util.Collection;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;

import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.DeviceCaller;

/**
 * The admin an admin access token speaks for ({@code sub} {@code admin:<username>}, role
 * {@code admin}, PROTOCOL §2.3). Any other token is refused with {@code 403 forbidden}.
 */
public record Admin(String name) {

    static final String ROLE_ADMIN = "admin";

    public static Admin of(Jwt jwt) {
        Object roles = jwt.getClaim(DeviceCaller.CLAIM_ROLES);
        if (!(roles instanceof Collection<?> list && list.contains(ROLE_ADMIN)) || jwt.getSubject() == null) {
            throw new ApiException(HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "an admin access token is required");
        }
        return new Admin(jwt.getSubject());
    }
}
