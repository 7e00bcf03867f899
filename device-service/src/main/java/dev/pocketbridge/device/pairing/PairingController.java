package dev.pocketbridge.device.pairing;

import java.time.Clock;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.device.DeviceProblemCodes;
import dev.pocketbridge.device.registry.ActiveDevices;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.DeviceCaller;
import dev.pocketbridge.web.ProblemResponse;
import dev.pocketbridge.web.TokenBuckets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/**
 * Pairing (PROTOCOL §2.2): a signed-in device makes a code; the new device redeems it without a
 * token. Lookups pass a guard of this whole instance first ({@code lookup-limit}): a code has about
 * 40 bits, so guessing must stay slow however many addresses it comes from.
 */
@RestController
@Tag(name = "Pairing")
class PairingController {

    /** The one key of the instance-wide lookup guard. */
    private static final String ALL_LOOKUPS = "all";

    private final Pairings pairings;
    private final ActiveDevices activeDevices;
    private final TokenBuckets lookupGuard;

    PairingController(Pairings pairings, ActiveDevices activeDevices, PairingProperties properties, Clock clock) {
        this.pairings = pairings;
        this.activeDevices = activeDevices;
        this.lookupGuard = new TokenBuckets(properties.lookupLimit(), properties.lookupPeriod(), 1, clock);
    }

    @PostMapping("/api/v1/pairing")
    @Operation(operationId = "createPairingCode", summary = "A pairing code for a new device of the caller's user",
            description = "`encrypted_payload` at most 8 KiB decoded. The code is 8 Crockford base32 characters shown as "
                    + "`XXXX-XXXX`, valid 5 minutes, single use.")
    @ProblemResponse(status = 400, codes = DeviceProblemCodes.PAYLOAD_TOO_LARGE)
    @ResponseStatus(HttpStatus.CREATED)
    PairingCreated create(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody PairingRequest request) {
        DeviceCaller caller = DeviceCaller.of(jwt);
        activeDevices.require(caller);
        return pairings.create(caller.userId(), caller.deviceId(), request.encryptedPayload());
    }

    @GetMapping("/api/v1/pairing/{code}")
    @Operation(operationId = "redeemPairingCode", summary = "Redeem a pairing code (no token)",
            description = "The first successful lookup consumes the code; unknown, used and expired codes all answer 404. "
                    + "Limited per client address and for all lookups together.")
    @ProblemResponse(status = 404, codes = ProblemCodes.NOT_FOUND)
    @ProblemResponse(status = 429, codes = ProblemCodes.RATE_LIMITED)
    PairingRedeemed redeem(@PathVariable String code) {
        lookupGuard.take(ALL_LOOKUPS);
        return pairings.redeem(code).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                ProblemCodes.NOT_FOUND, "no such pairing code (unknown, used or expired)"));
    }
}
