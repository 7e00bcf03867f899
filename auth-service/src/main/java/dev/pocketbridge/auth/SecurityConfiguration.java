package dev.pocketbridge.auth;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.web.BearerApiSecurity;
import dev.pocketbridge.web.PublicEndpoints;

/**
 * Stateless bearer-token security ({@link BearerApiSecurity}): the auth endpoints, JWKS, the
 * service token endpoint (its clients authenticate with their secret) and the actuator (on the
 * management port) and the service's API description are open; the rest of the internal API needs a service token, everything else
 * a device's or admin's access token, all issued by this service.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final PublicEndpoints PUBLIC_ENDPOINTS = PublicEndpoints.of(
            "POST /api/v1/auth/challenge",
            "POST /api/v1/auth/token",
            "POST /api/v1/auth/refresh",
            "POST /api/v1/auth/admin/token",
            "GET /.well-known/jwks.json",
            "POST " + InternalApi.SERVICE_TOKEN,
            "/actuator/**",
            "/error");

    /** Also read by the REST API description: these operations need no token. */
    @Bean
    PublicEndpoints publicEndpoints() {
        return PUBLIC_ENDPOINTS;
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        return BearerApiSecurity.configure(http, PUBLIC_ENDPOINTS.matcher(), resolver, Customizer.withDefaults()).build();
    }
}
