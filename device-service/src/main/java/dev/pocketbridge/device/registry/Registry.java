package dev.pocketbridge.device.registry;

import org.springframework.http.HttpStatus;

import dev.pocketbridge.device.DeviceProblemCodes;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;
import dev.pocketbridge.web.ApiException;

/** Errors and constraint checks shared by registration, renaming and restoring a device. */
final class Registry {

    private Registry() {
    }

    static ApiException invalidName(RegistryProperties properties) {
        return new ApiException(HttpStatus.BAD_REQUEST, DeviceProblemCodes.INVALID_DEVICE_NAME,
                "device_name must be 1 to " + properties.maxNameCodePoints()
                        + " characters after removing control and format characters and trimming whitespace");
    }

    static ApiException nameTaken() {
        return new ApiException(HttpStatus.CONFLICT, DeviceProblemCodes.DEVICE_NAME_TAKEN,
                "another device of this user already has this name");
    }

    static ApiException limitReached(ProtocolLimitsProperties limits) {
        return new ApiException(HttpStatus.CONFLICT, DeviceProblemCodes.DEVICE_LIMIT_REACHED,
                "the user already has " + limits.maxDevicesPerUser() + " active devices");
    }

    /** Whether the failure is a violation of the named constraint (PostgreSQL names it in the message). */
    static boolean violates(Throwable failure, String constraint) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(constraint)) {
                return true;
            }
        }
        return false;
    }
}
