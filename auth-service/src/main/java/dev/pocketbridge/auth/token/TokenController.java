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

import dev.pocketbridge.auth.AuthProblemCodes;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ApiSecuritySchemes;
import dev.pocketbridge.web.DeviceCaller;
import dev.pocketbridge.web.DeviceDirectory;
import dev.pocketbridge.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** Device login and bearer-token introspection. */
@RestController
@Tag(name = "Auth")
class TokenController {

    private final DeviceLogin login;
    private final DeviceDirectory devices;

    TokenController(DeviceLogin login, DeviceDirectory devices) {
        this.login = login;
        this.devices = devices;
    }

    @PostMapping("/api/v1/auth/token")
    @Operation(operationId = "issueToken", summary = "A token pair for a device that signed a token challenge",
            description = "The signature is over the token transcript (docs/protocol.md §2.1). An unknown, revoked or "
                    + "removed device and a wrong signature fail alike.")
    @ProblemResponse(status = 401, codes = {ProblemCodes.CHALLENGE_INVALID, AuthProblemCodes.AUTHENTICATION_FAILED})
    @ProblemResponse(status = 429, codes = ProblemCodes.RATE_LIMITED)
    ResponseEntity<TokenResponse> token(@Valid @RequestBody TokenRequest request) {
        // Tokens must never be cached by an intermediary (RFC 6749 §5.1).
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(login.login(request));
    }

    /** {@code expires_at} in epoch millis; {@code user_id}/{@code device_id} are absent for admin tokens. */
    record VerifyResponse(String userId, String deviceId, List<String> roles, long expiresAt) {
    }

    /**
     * A device's token must also still count by device-service's word ({@link
     * dev.pocketbridge.common.internal.DeviceCredentials#admits}: known, of the token's user, active,
     * issued after the device's last sign-out), else {@code 401 unauthorized} whatever its {@code exp};
     * the answer may be up to {@code pocketbridge.auth.device.cache-ttl} old. {@code 503} while
     * device-service cannot say.
     */
    @GetMapping("/api/v1/auth/verify")
    @Operation(operationId = "verifyToken", summary = "Who a bearer token stands for",
            description = "A device's token must still count (device known, active, not signed out since).")
    @SecurityRequirement(name = ApiSecuritySchemes.DEVICE_BEARER)
    @SecurityRequirement(name = ApiSecuritySchemes.ADMIN_BEARER)
    VerifyResponse verify(@AuthenticationPrincipal Jwt jwt) {
        if (jwt.getClaimAsString(AccessTokens.CLAIM_DEVICE_ID) != null) {
            devices.requireAdmitted(DeviceCaller.of(jwt));
        }
        List<String> roles = jwt.getClaimAsStringList(AccessTokens.CLAIM_ROLES);
        Instant expiresAt = jwt.getExpiresAt();
        return new VerifyResponse(jwt.getClaimAsString(AccessTokens.CLAIM_USER_ID),
                jwt.getClaimAsString(AccessTokens.CLAIM_DEVICE_ID), roles == null ? List.of() : roles,
                expiresAt == null ? 0 : expiresAt.toEpochMilli());
    }
}
