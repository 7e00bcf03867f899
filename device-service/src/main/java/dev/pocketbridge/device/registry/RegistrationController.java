package dev.pocketbridge.device.registry;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.device.DeviceProblemCodes;
import dev.pocketbridge.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** Device registration (PROTOCOL §2.1); open, the request proves possession of the key by its signature. */
@RestController
@Tag(name = "Devices")
class RegistrationController {

    private final Registrations registrations;

    RegistrationController(Registrations registrations) {
        this.registrations = registrations;
    }

    @PostMapping("/api/v1/devices/register")
    @Operation(operationId = "registerDevice", summary = "Register a device with its public key",
            description = "Signed over the register transcript (docs/protocol.md §2.1). Without `pairing_token` a new user "
                    + "is created with this as its first device; with one, the device joins that token's user.")
    @ProblemResponse(status = 400, codes = DeviceProblemCodes.INVALID_DEVICE_NAME)
    @ProblemResponse(status = 401, codes = {ProblemCodes.CHALLENGE_INVALID, ProblemCodes.SIGNATURE_INVALID,
            DeviceProblemCodes.PAIRING_TOKEN_INVALID})
    @ProblemResponse(status = 409, codes = {DeviceProblemCodes.DEVICE_NAME_TAKEN, DeviceProblemCodes.DEVICE_LIMIT_REACHED,
            DeviceProblemCodes.PUBLIC_KEY_TAKEN})
    @ProblemResponse(status = 429, codes = ProblemCodes.RATE_LIMITED)
    @ProblemResponse(status = 503, codes = ProblemCodes.UNAVAILABLE)
    @ResponseStatus(HttpStatus.CREATED)
    RegistrationResponse register(@Valid @RequestBody RegistrationRequest request) {
        return registrations.register(request);
    }
}
