package dev.pocketbridge.device.registry;


import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.DeviceCaller;

/**
 * Confirms that a token's device still exists, belongs to the token's user, is active and was not
 * signed out since the token was issued ({@link dev.pocketbridge.common.internal.DeviceCredentials#admits}):
 * a token outlives neither its device nor its user here, whatever its {@code exp}.
 */
@Component
public class ActiveDevices {

    private final DeviceRepository devices;
    private final UserActivity activity;

    ActiveDevices(DeviceRepository devices, UserActivity activity) {
        this.devices = devices;
        this.activity = activity;
    }

    /**
     * Checks the caller, and notes the user's activity (API use).
     *
     * @throws ApiException {@code 401 unauthorized} when the caller's device is unknown, of another
     *     user, revoked, or signed out since the token was issued
     */
    @Transactional(readOnly = true)
    public void require(DeviceCaller caller) {
        boolean admitted = devices.findById(caller.deviceId())
                .filter(device -> device.credentials().admits(caller.userId().toString(), caller.issuedAt()))
                .isPresent();
        if (!admitted) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED,
                    "the token's device is no longer active");
        }
        activity.touch(caller.userId());
    }
}
