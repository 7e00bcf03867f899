package dev.pocketbridge.device.pairing;

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
import dev.pocketbridge.device.Caller;
import dev.pocketbridge.device.registry.ActiveDevices;
import dev.pocketbridge.web.ApiException;
import jakarta.validation.Valid;

/** Pairing (PROTOCOL §2.2): a signed-in device makes a code; the new device redeems it without a token. */
@RestController
class PairingController {

    private final Pairings pairings;
    private final ActiveDevices activeDevices;

    PairingController(Pairings pairings, ActiveDevices activeDevices) {
        this.pairings = pairings;
        this.activeDevices = activeDevices;
    }

    @PostMapping("/api/v1/pairing")
    @ResponseStatus(HttpStatus.CREATED)
    PairingCreated create(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody PairingRequest request) {
        Caller caller = Caller.of(jwt);
        activeDevices.require(caller);
        return pairings.create(caller.userId(), request.encryptedPayload());
    }

    @GetMapping("/api/v1/pairing/{code}")
    PairingRedeemed redeem(@PathVariable String code) {
        return pairings.redeem(code).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                ProblemCodes.NOT_FOUND, "no such pairing code (unknown, used or expired)"));
    }
}
