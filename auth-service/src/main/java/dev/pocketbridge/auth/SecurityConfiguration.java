package dev.pocketbridge.auth;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.web.ApiException;

/**
 * Stateless bearer-token security: the auth endpoints, JWKS, the internal API and actuator are
 * open; everything else needs an access token issued by this service. Authentication and access
 * failures are answered as problem details through the same MVC exception handling as every other error.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        AuthenticationEntryPoint entryPoint = (request, response, e) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            resolver.resolveException(request, response, null, new ApiException(HttpStatus.UNAUTHORIZED,
                    ProblemCodes.UNAUTHORIZED, "a valid bearer token is required"));
        };
        AccessDeniedHandler deniedHandler = (request, response, e) -> resolver.resolveException(request, response,
                null, new ApiException(HttpStatus.FORBIDDEN, AuthProblemCodes.FORBIDDEN,
                        "the token does not allow this"));
        RequestMatcher publicEndpoints = new OrRequestMatcher(
                PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/auth/challenge"),
                PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/auth/token"),
                PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/auth/refresh"),
                PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/v1/auth/admin/token"),
                PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/.well-known/jwks.json"),
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
                        .accessDeniedHandler(deniedHandler))
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
