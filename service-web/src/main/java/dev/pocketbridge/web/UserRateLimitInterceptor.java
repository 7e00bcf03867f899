package dev.pocketbridge.web;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.servlet.HandlerInterceptor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The per-user limit of the REST API ({@link RateLimitProperties}). The user is the {@code user_id}
 * claim of the access token Spring Security has verified for this request (signature, issuer,
 * expiry), never a header or an unverified token, so no one can drain another user's bucket.
 * Requests without a verified user token (public endpoints, admin tokens) are not counted here; the
 * public ones are limited per address at the gateway.
 */
class UserRateLimitInterceptor implements HandlerInterceptor {

    static final String CLAIM_USER_ID = "user_id";

    private final TokenBuckets buckets;

    UserRateLimitInterceptor(TokenBuckets buckets) {
        this.buckets = buckets;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated()
                && authentication.getPrincipal() instanceof Jwt jwt) {
            String user = jwt.getClaimAsString(CLAIM_USER_ID);
            if (user != null) {
                buckets.take(user);
            }
        }
        return true;
    }
}
