package dev.pocketbridge.device.registry;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.device.Caller;
import dev.pocketbridge.web.ApiException;

/**
 * Confirms that a token's device still exists, belongs to the token's user and is active: a token
 * outlives neither its device nor its user here, whatever its {@code exp}.
 */
@Component
public class ActiveDevices {

    private final DeviceRepository devices;

    ActiveDevices(DeviceRepository devices) {
        this.devices = devices;
    }

    /** @throws ApiException {@code 401 unauthorized} when the caller's device is unknown, of another user or revoked */
    @Transactional(readOnly = true)
    public void require(Caller caller) {
        boolean active = devices.findByIdAndUserId(caller.deviceId(), caller.userId())
                .filter(Device::active)
                .isPresent();
        if (!active) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED,
                    "the token's device is no longer active");
        }
    }
}
