package dev.pocketbridge.device;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.device.challenge.AuthServiceProperties;
import dev.pocketbridge.web.BearerApiSecurity;

/**
 * Stateless bearer-token security ({@link BearerApiSecurity}) with auth-service's access tokens,
 * validated against its JWK set: registration, pairing-code lookup and the actuator (on the
 * management port) are open; the internal API needs a service token, everything else a device's or
 * admin's token. A token that cannot be checked because the JWK set cannot be fetched is
 * {@code 503 unavailable}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final RequestMatcher PUBLIC_ENDPOINTS = new OrRequestMatcher(
            PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/devices/register"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/api/v1/pairing/*"),
            PathPatternRequestMatcher.pathPattern("/actuator/**"),
            PathPatternRequestMatcher.pathPattern("/error"));

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver, AuthServiceProperties auth)
            throws Exception {
        return BearerApiSecurity.configure(http, PUBLIC_ENDPOINTS, resolver,
                BearerApiSecurity.unavailableWhileKeysUnreachable(resolver, auth.retryAfter())).build();
    }
}
