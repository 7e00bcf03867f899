package dev.pocketbridge.auth.challenge;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.internal.ChallengeConsumption;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** The public challenge endpoint and the internal consumption endpoint (used by device-service for registration). */
@RestController
@Tag(name = "Auth")
class ChallengeController {

    private final Challenges challenges;

    ChallengeController(Challenges challenges) {
        this.challenges = challenges;
    }

    @PostMapping("/api/v1/auth/challenge")
    @Operation(operationId = "issueChallenge", summary = "A challenge to sign for registration or a token",
            description = "32 random bytes, single use, valid 120 s. Purpose `register` takes no `device_id`, "
                    + "purpose `token` the device's.")
    @ProblemResponse(status = 429, codes = ProblemCodes.RATE_LIMITED)
    @ResponseStatus(HttpStatus.CREATED)
    IssuedChallenge issue(@Valid @RequestBody ChallengeRequest request) {
        return challenges.issue(request.purpose(), request.deviceId());
    }

    @PostMapping(InternalApi.CONSUME_CHALLENGE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void consume(@RequestBody ChallengeConsumption consumption) {
        if (!challenges.consume(consumption)) {
            throw new ApiException(HttpStatus.NOT_FOUND, ProblemCodes.CHALLENGE_INVALID,
                    "the challenge is unknown, used, expired or for another purpose");
        }
    }
}
