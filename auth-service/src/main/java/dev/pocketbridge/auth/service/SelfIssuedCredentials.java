package dev.pocketbridge.auth.service;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.stereotype.Component;

import dev.pocketbridge.auth.token.AccessTokens;
import dev.pocketbridge.web.ServiceCredentials;

/**
 * auth-service's own credentials for the internal API of others: a service token it signs itself
 * (no request to itself), kept until {@code renew-before} its expiry.
 */
@Component
class SelfIssuedCredentials implements ServiceCredentials {

    private final AccessTokens accessTokens;
    private final ServiceTokenProperties properties;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    SelfIssuedCredentials(AccessTokens accessTokens, ServiceTokenProperties properties, Clock clock) {
        this.accessTokens = accessTokens;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        request.getHeaders().setBearerAuth(token());
        return execution.execute(request, body);
    }

    private synchronized String token() {
        Instant now = clock.instant();
        if (!now.isBefore(renewAt)) {
            token = accessTokens.forService(properties.clientId(), properties.tokenTtl()).token();
            renewAt = now.plus(properties.tokenTtl()).minus(properties.renewBefore());
        }
        return token;
    }
}
