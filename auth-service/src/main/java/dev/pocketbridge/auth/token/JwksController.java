package dev.pocketbridge.auth.token;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Publishes the public key(s) that verify access tokens. */
@RestController
class JwksController {

    private final Map<String, Object> jwks;

    JwksController(SigningKey key) {
        this.jwks = key.publicJwkSet().toJSONObject(true);
    }

    @GetMapping(path = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> jwks() {
        return jwks;
    }
}
