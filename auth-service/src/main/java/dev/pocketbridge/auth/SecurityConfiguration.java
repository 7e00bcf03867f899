package dev.pocketbridge.auth;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.web.BearerApiSecurity;

/**
 * Stateless bearer-token security ({@link BearerApiSecurity}): the auth endpoints, JWKS, the
 * service token endpoint (its clients authenticate with their secret) and the actuator (on the
 * management port) are open; the rest of the internal API needs a service token, everything else
 * a device's or admin's access token, all issued by this service.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final RequestMatcher PUBLIC_ENDPOINTS = new OrRequestMatcher(
            PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/auth/challenge"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/auth/token"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/auth/refresh"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/auth/admin/token"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/.well-known/jwks.json"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.POST, InternalApi.SERVICE_TOKEN),
            PathPatternRequestMatcher.pathPattern("/actuator/**"),
            PathPatternRequestMatcher.pathPattern("/error"));

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        return BearerApiSecurity.configure(http, PUBLIC_ENDPOINTS, resolver, Customizer.withDefaults()).build();
    }
}
