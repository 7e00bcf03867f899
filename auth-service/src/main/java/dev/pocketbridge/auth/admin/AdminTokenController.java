package dev.pocketbridge.auth.admin;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.auth.AuthProblemCodes;
import dev.pocketbridge.auth.token.AccessTokens;
import dev.pocketbridge.auth.token.TokenResponse;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.ApiSecuritySchemes;
import dev.pocketbridge.web.ProblemResponse;
import dev.pocketbridge.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code POST /api/v1/auth/admin/token}: HTTP Basic admin credentials → a short-lived {@code admin} access token. */
@RestController
@Tag(name = "Admin")
class AdminTokenController {

    private static final String REALM = "pocketbridge-admin";

    private final AdminAuthenticator authenticator;
    private final AccessTokens accessTokens;
    private final AdminProperties properties;

    AdminTokenController(AdminAuthenticator authenticator, AccessTokens accessTokens, AdminProperties properties) {
        this.authenticator = authenticator;
        this.accessTokens = accessTokens;
        this.properties = properties;
    }

    @PostMapping("/api/v1/auth/admin/token")
    @Operation(operationId = "issueAdminToken", summary = "A short-lived admin access token for the admin credentials",
            description = "HTTP Basic with the deployment's admin credentials; the token has `roles: [\"admin\"]` and no "
                    + "refresh token. `404` when the deployment configures no admin.")
    @SecurityRequirement(name = ApiSecuritySchemes.ADMIN_BASIC)
    @ApiResponse(responseCode = "200", description = "OK", content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @ProblemResponse(status = 401, codes = AuthProblemCodes.AUTHENTICATION_FAILED)
    @ProblemResponse(status = 404, codes = ProblemCodes.NOT_FOUND)
    ResponseEntity<Object> token(
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        if (!authenticator.enabled()) {
            throw new ApiException(HttpStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, "no admin is configured");
        }
        return authenticator.authenticate(authorization)
                .<ResponseEntity<Object>>map(username -> ResponseEntity.ok()
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .body(TokenResponse.of(accessTokens.forAdmin(username, properties.tokenTtl()), null)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"")
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(Problems.of(HttpStatus.UNAUTHORIZED, AuthProblemCodes.AUTHENTICATION_FAILED,
                                "authentication failed")));
    }
}
