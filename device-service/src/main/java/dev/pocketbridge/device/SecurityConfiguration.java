package dev.pocketbridge.device;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.device.challenge.AuthServiceProperties;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.BearerApiSecurity;

/**
 * Stateless bearer-token security ({@link BearerApiSecurity}) with auth-service's access tokens,
 * validated against its JWK set: registration, pairing-code lookup, the internal API and actuator
 * are open; everything else needs a token. A token that cannot be checked because the JWK set
 * cannot be fetched is {@code 503 unavailable} (not the caller's fault, so not a 401 that would
 * make clients throw their tokens away).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    private static final RequestMatcher PUBLIC_ENDPOINTS = new OrRequestMatcher(
            PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/devices/register"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/api/v1/pairing/*"),
            PathPatternRequestMatcher.pathPattern("/internal/**"),
            PathPatternRequestMatcher.pathPattern("/actuator/**"),
            PathPatternRequestMatcher.pathPattern("/error"));

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver, AuthServiceProperties auth)
            throws Exception {
        AuthenticationEntryPoint entryPoint = BearerApiSecurity.entryPoint(resolver);
        AuthenticationFailureHandler failureHandler = (request, response, e) -> {
            if (e instanceof AuthenticationServiceException) {
                log.warn("cannot check a bearer token: {}", e.getMessage());
                resolver.resolveException(request, response, null,
                        ApiException.unavailable("tokens cannot be checked right now, retry later", auth.retryAfter()));
            } else {
                entryPoint.commence(request, response, e);
            }
        };
        return BearerApiSecurity.configure(http, PUBLIC_ENDPOINTS, resolver,
                o -> o.withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                    @Override
                    public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                        filter.setAuthenticationFailureHandler(failureHandler);
                        return filter;
                    }
                })).build();
    }
}
