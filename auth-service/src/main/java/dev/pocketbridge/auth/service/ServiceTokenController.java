package dev.pocketbridge.auth.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.auth.AuthProblemCodes;
import dev.pocketbridge.auth.BasicCredentials;
import dev.pocketbridge.auth.token.AccessTokens;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.Problems;

/**
 * {@code POST /internal/v1/oauth2/token}: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4)
 * for the other services. The client authenticates with HTTP Basic ({@code client_secret_basic},
 * id and secret form-encoded first as §2.3.1 says); the answer is a short-lived service token.
 * Errors are problem details that also carry RFC 6749's {@code error} member, so OAuth 2.0 clients
 * read them too.
 */
@RestController
class ServiceTokenController {

    private static final String REALM = "pocketbridge-internal";
    private static final String GRANT_TYPE = "client_credentials";

    private final ServiceTokenProperties properties;
    private final AccessTokens accessTokens;

    ServiceTokenController(ServiceTokenProperties properties, AccessTokens accessTokens) {
        this.properties = properties;
        this.accessTokens = accessTokens;
    }

    @PostMapping(path = InternalApi.SERVICE_TOKEN, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Object> token(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestParam(name = "grant_type", required = false) String grantType,
            @RequestParam(name = "scope", required = false) String scope) {
        if (!BasicCredentials.parse(authorization).map(this::isServiceClient).orElse(false)) {
            return error(HttpStatus.UNAUTHORIZED, AuthProblemCodes.INVALID_CLIENT, "client authentication failed",
                    headers -> headers.set(HttpHeaders.WWW_AUTHENTICATE,
                            "Basic realm=\"" + REALM + "\", charset=\"UTF-8\""));
        }
        if (grantType == null || grantType.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_REQUEST, "grant_type is required");
        }
        if (!GRANT_TYPE.equals(grantType)) {
            return error(HttpStatus.BAD_REQUEST, AuthProblemCodes.UNSUPPORTED_GRANT_TYPE,
                    "only client_credentials is supported");
        }
        if (scope != null && !Arrays.stream(scope.trim().split(" +")).allMatch(InternalApi.SERVICE_SCOPE::equals)) {
            return error(HttpStatus.BAD_REQUEST, AuthProblemCodes.INVALID_SCOPE,
                    "the only scope is " + InternalApi.SERVICE_SCOPE);
        }
        // Tokens must never be cached by an intermediary (RFC 6749 §5.1).
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(ServiceTokenResponse.of(accessTokens.forService(properties.clientId(), properties.tokenTtl())));
    }

    private boolean isServiceClient(BasicCredentials given) {
        String id = URLDecoder.decode(given.username(), StandardCharsets.UTF_8);
        String secret = URLDecoder.decode(given.password(), StandardCharsets.UTF_8);
        // Both checks always run, so timing does not tell which part was wrong.
        boolean idMatches = BasicCredentials.constantTimeEquals(id, properties.clientId());
        boolean secretMatches = BasicCredentials.constantTimeEquals(secret, properties.clientSecret());
        return idMatches && secretMatches;
    }

    private static ResponseEntity<Object> error(HttpStatus status, String code, String detail) {
        return error(status, code, detail, headers -> {
        });
    }

    private static ResponseEntity<Object> error(HttpStatus status, String code, String detail,
            Consumer<HttpHeaders> headers) {
        ProblemDetail problem = Problems.of(status, code, detail);
        problem.setProperty("error", code);
        problem.setProperty("error_description", detail);
        return ResponseEntity.status(status).headers(headers).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
