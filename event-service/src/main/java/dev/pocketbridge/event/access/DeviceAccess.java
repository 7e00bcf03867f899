package dev.pocketbridge.event.access;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.DeviceCaller;

/**
 * Whether a verified access token may use the user API: it must be a device's
 * ({@link DeviceCaller}, else {@code 403 forbidden}), and still count by device-service's word
 * ({@link DeviceCredentials#admits}: the device exists, belongs to the token's user, is active, and
 * the token was issued after the device's {@code tokens_not_before}), else {@code 401 unauthorized},
 * whatever the token's {@code exp}. {@code 503 unavailable} while device-service cannot say.
 */
@Component
public class DeviceAccess {

    private final DeviceDirectory directory;

    DeviceAccess(DeviceDirectory directory) {
        this.directory = directory;
    }

    /** The token's device, when the token still counts. */
    public DeviceCaller require(Jwt jwt) {
        DeviceCaller caller = DeviceCaller.of(jwt);
        boolean admitted = directory.find(caller.deviceId())
                .filter(device -> device.admits(caller.userId().toString(), caller.issuedAt()))
                .isPresent();
        if (!admitted) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED,
                    "the token's device is no longer active");
        }
        return caller;
    }
}
