package dev.pocketbridge.event;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.web.BearerApiSecurity;

/**
 * Stateless bearer-token security ({@link BearerApiSecurity}) with auth-service's tokens, validated
 * against its JWK set: only the actuator (on the management port) is open; the internal API needs a
 * service token; the user API ({@code /api/v1/events}) an access token, which the endpoint then
 * requires to be a device's that still counts ({@link dev.pocketbridge.web.DeviceDirectory#requireAdmitted}).
 * A token that cannot be checked because the JWK set cannot be fetched is {@code 503 unavailable}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final RequestMatcher PUBLIC_ENDPOINTS = new OrRequestMatcher(
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
