package dev.pocketbridge.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.servlet.HandlerInterceptor;

import dev.pocketbridge.common.ids.LogIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The caller of a REST request in its logging context: the user and the device of the access token
 * Spring Security verified, shortened ({@link LogIds}), beside the request id ({@link RequestIdFilter})
 * and the trace (Micrometer Tracing). Logs every answered request at DEBUG, with all of them.
 */
class RequestLogContext implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(RequestLogContext.class);

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated()
                && authentication.getPrincipal() instanceof Jwt jwt) {
            put(LogIds.USER_ID, jwt.getClaimAsString(DeviceCaller.CLAIM_USER_ID));
            put(LogIds.DEVICE_ID, jwt.getClaimAsString(DeviceCaller.CLAIM_DEVICE_ID));
        }
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        log.debug("{} {} answered {}", request.getMethod(), request.getRequestURI(), response.getStatus());
        MDC.remove(LogIds.USER_ID);
        MDC.remove(LogIds.DEVICE_ID);
    }

    private static void put(String key, String id) {
        if (id != null) {
            MDC.put(key, LogIds.shorten(id));
        }
    }
}
