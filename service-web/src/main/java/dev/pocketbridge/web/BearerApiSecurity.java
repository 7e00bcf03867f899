package dev.pocketbridge.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.resource.OAuth2ResourceServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.common.internal.ProblemCodes;

/**
 * The one security set-up of the services that take access tokens: stateless, no sessions, forms
 * or CSRF; the public endpoints open (and deaf to an {@code Authorization} header, so a client
 * sending a stale token everywhere can still refresh, register or look up a pairing code);
 * everything else needs a valid JWT; 401 and 403 answered as problem details through the same
 * MVC exception handling as every other error.
 */
public final class BearerApiSecurity {

    private BearerApiSecurity() {
    }

    /** 401 {@code unauthorized} with {@code WWW-Authenticate: Bearer}. */
    public static AuthenticationEntryPoint entryPoint(HandlerExceptionResolver resolver) {
        return (request, response, e) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            resolver.resolveException(request, response, null, new ApiException(HttpStatus.UNAUTHORIZED,
                    ProblemCodes.UNAUTHORIZED, "a valid bearer token is required"));
        };
    }

    /** 403 {@code forbidden}. */
    public static AccessDeniedHandler deniedHandler(HandlerExceptionResolver resolver) {
        return (request, response, e) -> resolver.resolveException(request, response, null,
                new ApiException(HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "the token does not allow this"));
    }

    /**
     * @param resourceServer further settings of the JWT resource server (e.g. a failure handler)
     */
    public static HttpSecurity configure(HttpSecurity http, RequestMatcher publicEndpoints,
            HandlerExceptionResolver resolver, Customizer<OAuth2ResourceServerConfigurer<HttpSecurity>> resourceServer)
            throws Exception {
        AuthenticationEntryPoint entryPoint = entryPoint(resolver);
        AccessDeniedHandler deniedHandler = deniedHandler(resolver);
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        return http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(publicEndpoints).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(o -> {
                    o.jwt(Customizer.withDefaults())
                            .bearerTokenResolver(request -> publicEndpoints.matches(request) ? null
                                    : bearer.resolve(request))
                            .authenticationEntryPoint(entryPoint)
                            .accessDeniedHandler(deniedHandler);
                    resourceServer.customize(o);
                })
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(deniedHandler));
    }
}
