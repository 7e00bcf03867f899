package dev.pocketbridge.event;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.web.BearerApiSecurity;
import dev.pocketbridge.web.PublicEndpoints;

/**
 * Stateless bearer-token security ({@link BearerApiSecurity}) with auth-service's tokens, validated
 * against its JWK set: only the actuator (on the management port) and the
 * service's API description are open; the internal API needs a
 * service token; the user API ({@code /api/v1/events}) an access token, which the endpoint then
 * requires to be a device's that still counts ({@link dev.pocketbridge.web.DeviceDirectory#requireAdmitted}).
 * A token that cannot be checked because the JWK set cannot be fetched is {@code 503 unavailable}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final PublicEndpoints PUBLIC_ENDPOINTS = PublicEndpoints.of("/actuator/**", "/error");

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
