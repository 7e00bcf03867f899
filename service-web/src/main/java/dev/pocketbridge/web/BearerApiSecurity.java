package dev.pocketbridge.web;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.resource.OAuth2ResourceServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.internal.ProblemCodes;

/**
 * The one security set-up of the services that take access tokens: stateless, no sessions, forms
 * or CSRF; the public endpoints open (and deaf to an {@code Authorization} header, so a client
 * sending a stale token everywhere can still refresh, register or look up a pairing code); the
 * internal API ({@code /internal/**}) only for service tokens ({@link #isServiceToken}), everything
 * else only for the other tokens (a device's or an admin's), so neither kind opens the other's door;
 * 401 and 403 answered as problem details through the same MVC exception handling as every other error.
 */
public final class BearerApiSecurity {

    private static final Logger log = LoggerFactory.getLogger(BearerApiSecurity.class);

    /** The first segment of every internal path. */
    static final String INTERNAL_API_PREFIX = "/internal";
    /** The internal API: service tokens only. */
    public static final RequestMatcher INTERNAL_API = PathPatternRequestMatcher.pathPattern(INTERNAL_API_PREFIX + "/**");

    private static final String SERVICE_AUTHORITY = "SCOPE_" + InternalApi.SERVICE_SCOPE;
    private static final AuthorizationManager<RequestAuthorizationContext> SERVICE =
            (authentication, context) -> new AuthorizationDecision(isServiceToken(authentication.get()));
    private static final AuthorizationManager<RequestAuthorizationContext> NOT_SERVICE = AuthorizationManagers.allOf(
            AuthenticatedAuthorizationManager.authenticated(), AuthorizationManagers.not(SERVICE));

    private BearerApiSecurity() {
    }

    /**
     * A service token as auth-service issues it at {@link InternalApi#SERVICE_TOKEN}: audience
     * {@link InternalApi#SERVICE_AUDIENCE} and scope {@link InternalApi#SERVICE_SCOPE}.
     */
    public static boolean isServiceToken(Authentication authentication) {
        return authentication instanceof JwtAuthenticationToken jwt
                && jwt.getToken().getAudience() != null
                && jwt.getToken().getAudience().contains(InternalApi.SERVICE_AUDIENCE)
                && jwt.getAuthorities().stream().anyMatch(a -> SERVICE_AUTHORITY.equals(a.getAuthority()));
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
     * For a service that fetches the JWK set of access tokens from auth-service: a token that
     * cannot be checked because the key set cannot be fetched is {@code 503 unavailable} with
     * {@code retryAfter} (not the caller's fault, so not a 401 that would make clients throw their
     * tokens away); every other failure stays a 401.
     */
    public static Customizer<OAuth2ResourceServerConfigurer<HttpSecurity>> unavailableWhileKeysUnreachable(
            HandlerExceptionResolver resolver, Duration retryAfter) {
        AuthenticationEntryPoint entryPoint = entryPoint(resolver);
        AuthenticationFailureHandler failureHandler = (request, response, e) -> {
            if (e instanceof AuthenticationServiceException) {
                log.warn("cannot check a bearer token: {}", e.getMessage());
                resolver.resolveException(request, response, null,
                        ApiException.unavailable("tokens cannot be checked right now, retry later", retryAfter));
            } else {
                entryPoint.commence(request, response, e);
            }
        };
        return o -> o.withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
            @Override
            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                filter.setAuthenticationFailureHandler(failureHandler);
                return filter;
            }
        });
    }

    /**
     * @param publicEndpoints open to anyone (the management port's actuator among them)
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
                        .requestMatchers(INTERNAL_API).access(SERVICE)
                        .anyRequest().access(NOT_SERVICE))
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
