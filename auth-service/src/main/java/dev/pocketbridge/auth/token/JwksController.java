package dev.pocketbridge.auth.token;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Publishes the public key(s) that verify access tokens. */
@RestController
@Tag(name = "Auth")
class JwksController {

    private final Map<String, Object> jwks;

    JwksController(SigningKey key) {
        this.jwks = key.publicJwkSet().toJSONObject(true);
    }

    @GetMapping(path = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "jwks", summary = "The JWK set that verifies access tokens (RFC 7517)")
    Map<String, Object> jwks() {
        return jwks;
    }
}
