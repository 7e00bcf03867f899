package dev.pocketbridge.auth.refresh;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.auth.AuthProblemCodes;
import dev.pocketbridge.auth.token.TokenResponse;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** {@code POST /api/v1/auth/refresh}: trade a refresh token for a new pair. */
@RestController
@Tag(name = "Auth")
class RefreshController {

    private final RefreshTokens refreshTokens;

    RefreshController(RefreshTokens refreshTokens) {
        this.refreshTokens = refreshTokens;
    }

    record RefreshRequest(@NotNull String refreshToken) {
    }

    @PostMapping("/api/v1/auth/refresh")
    @Operation(operationId = "refreshToken", summary = "A new token pair for a refresh token",
            description = "Refresh tokens rotate: each is single use, and presenting a used one revokes every token of "
                    + "that device (`refresh_token_reused`); the device then signs in again with its key.")
    @ProblemResponse(status = 401, codes = {AuthProblemCodes.REFRESH_TOKEN_INVALID, AuthProblemCodes.REFRESH_TOKEN_REUSED,
            AuthProblemCodes.AUTHENTICATION_FAILED})
    @ProblemResponse(status = 429, codes = ProblemCodes.RATE_LIMITED)
    ResponseEntity<TokenResponse> refresh(@Valid @RequestBody RefreshRequest request) {
        // Tokens must never be cached by an intermediary (RFC 6749 §5.1).
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(refreshTokens.refresh(request.refreshToken()));
    }
}
