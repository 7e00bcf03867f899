package dev.pocketbridge.auth.refresh;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.auth.token.TokenResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** {@code POST /api/v1/auth/refresh}: trade a refresh token for a new pair. */
@RestController
class RefreshController {

    private final RefreshTokens refreshTokens;

    RefreshController(RefreshTokens refreshTokens) {
        this.refreshTokens = refreshTokens;
    }

    record RefreshRequest(@NotNull String refreshToken) {
    }

    @PostMapping("/api/v1/auth/refresh")
    ResponseEntity<TokenResponse> refresh(@Valid @RequestBody RefreshRequest request) {
        // Tokens must never be cached by an intermediary (RFC 6749 §5.1).
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(refreshTokens.refresh(request.refreshToken()));
    }
}
