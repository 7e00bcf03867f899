package dev.pocketbridge.auth.token;

import java.time.Instant;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/** Device login and bearer-token introspection. */
@RestController
class TokenController {

    private final DeviceLogin login;

    TokenController(DeviceLogin login) {
        this.login = login;
    }

    @PostMapping("/api/v1/auth/token")
    ResponseEntity<TokenResponse> token(@Valid @RequestBody TokenRequest request) {
        // Tokens must never be cached by an intermediary (RFC 6749 §5.1).
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(login.login(request));
    }

    /** {@code expires_at} in epoch millis; {@code user_id}/{@code device_id} are absent for admin tokens. */
    record VerifyResponse(String userId, String deviceId, List<String> roles, long expiresAt) {
    }

    @GetMapping("/api/v1/auth/verify")
    VerifyResponse verify(@AuthenticationPrincipal Jwt jwt) {
        List<String> roles = jwt.getClaimAsStringList(AccessTokens.CLAIM_ROLES);
        Instant expiresAt = jwt.getExpiresAt();
        return new VerifyResponse(jwt.getClaimAsString(AccessTokens.CLAIM_USER_ID),
                jwt.getClaimAsString(AccessTokens.CLAIM_DEVICE_ID), roles == null ? List.of() : roles,
                expiresAt == null ? 0 : expiresAt.toEpochMilli());
    }
}
