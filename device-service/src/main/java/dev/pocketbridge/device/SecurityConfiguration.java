package dev.pocketbridge.device;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.device.challenge.AuthServiceProperties;
import dev.pocketbridge.web.BearerApiSecurity;
import dev.pocketbridge.web.PublicEndpoints;

/**
 * Stateless bearer-token security ({@link BearerApiSecurity}) with auth-service's access tokens,
 * validated against its JWK set: registration, pairing-code lookup, the actuator (on the
 * management port) and the service's API description are open; the internal API needs a service token, everything else a device's or
 * admin's token. A token that cannot be checked because the JWK set cannot be fetched is
 * {@code 503 unavailable}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final PublicEndpoints PUBLIC_ENDPOINTS = PublicEndpoints.of(
            "POST /api/v1/devices/register",
            "GET /api/v1/pairing/*",
            "/actuator/**",
            "/error");

    /** Also read by the REST API description: these operations need no token. */
    @Bean
    PublicEndpoints publicEndpoints() {
        return PUBLIC_ENDPOINTS;
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver, AuthServiceProperties auth)
            throws Exception {
        return BearerApiSecurity.configure(http, PUBLIC_ENDPOINTS.matcher(), resolver,
                BearerApiSecurity.unavailableWhileKeysUnreachable(resolver, auth.retryAfter())).build();
    }
}
