package dev.pocketbridge.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.pocketbridge.common.internal.ProblemCodes;

/**
 * A request that Spring Security's firewall refuses is the client's error: 400, not the 500 of
 * {@link ProblemHandler}'s catch-all, which it precedes. The firewall refuses some requests at once
 * (see {@code ServiceWebAutoConfiguration.Firewall}) and some only when the application reads them
 * (a form body whose parameter names hold control characters, say). Only where Spring Security is.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class FirewallProblemHandler {

    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_REQUEST,
                "the request is malformed"));
    }
}
