package dev.pocketbridge.auth;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.pocketbridge.web.Problems;

/**
 * Answers {@link RetryableApiException} like service-web answers any {@code ApiException}, plus the
 * {@code Retry-After} header (service-web's handler has no way to add headers). Ordered first so
 * it wins over the generic handler for this subtype only.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RetryAfterProblemHandler {

    @ExceptionHandler(RetryableApiException.class)
    ResponseEntity<ProblemDetail> retryable(RetryableApiException e) {
        long seconds = Math.max(1, e.retryAfter().toSeconds());
        return ResponseEntity.status(e.status())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(Problems.of(e.status(), e.code(), e.getMessage()));
    }
}
