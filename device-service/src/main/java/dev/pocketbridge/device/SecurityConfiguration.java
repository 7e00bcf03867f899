package dev.pocketbridge.device;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.device.challenge.AuthServiceProperties;
import dev.pocketbridge.web.ApiException;

/**
 * Stateless bearer-token security with auth-service's access tokens (validated against its JWK set):
 * registration, pairing-code lookup, the internal API and actuator are open; everything else needs a
 * token. Failures are answered as problem details through the MVC exception handling of every other error:
 * a bad token is {@code 401 unauthorized}; a token that cannot be checked because auth-service's JWK set
 * cannot be fetched is {@code 503 unavailable} (not the caller's fault, so not a 401 that would make
 * clients throw their tokens away).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver, AuthServiceProperties auth)
            throws Exception {
        AuthenticationEntryPoint entryPoint = (request, response, e) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            resolver.resolveException(request, response, null, new ApiException(HttpStatus.UNAUTHORIZED,
                    ProblemCodes.UNAUTHORIZED, "a valid bearer token is required"));
        };
        AccessDeniedHandler deniedHandler = (request, response, e) -> resolver.resolveException(request, response,
                null, new ApiException(HttpStatus.FORBIDDEN, DeviceProblemCodes.FORBIDDEN,
                        "the token does not allow this"));
        AuthenticationFailureHandler failureHandler = (request, response, e) -> {
            if (e instanceof AuthenticationServiceException) {
                log.warn("cannot check a bearer token: {}", e.getMessage());
                resolver.resolveException(request, response, null,
                        ApiException.unavailable("tokens cannot be checked right now, retry later", auth.retryAfter()));
            } else {
                entryPoint.commence(request, response, e);
            }
        };
        RequestMatcher publicEndpoints = new OrRequestMatcher(
                PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/devices/register"),
                PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/api/v1/pairing/*"),
                PathPatternRequestMatcher.pathPattern("/internal/**"),
                PathPatternRequestMatcher.pathPattern("/actuator/**"),
                PathPatternRequestMatcher.pathPattern("/error"));
        http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(publicEndpoints).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults())
                        .bearerTokenResolver(bearerOutside(publicEndpoints))
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(deniedHandler)
                        .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            @Override
                            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(failureHandler);
                                return filter;
                            }
                        }))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(deniedHandler));
        return http.build();
    }

    /**
     * Public endpoints ignore an {@code Authorization} header: a client that sends its (perhaps
     * expired) token everywhere must still be able to refresh, register or look up a pairing code.
     */
    private static BearerTokenResolver bearerOutside(RequestMatcher publicEndpoints) {
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        return request -> publicEndpoints.matches(request) ? null : bearer.resolve(request);
    }
}
