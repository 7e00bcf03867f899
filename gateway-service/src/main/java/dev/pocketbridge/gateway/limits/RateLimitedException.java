package dev.pocketbridge.gateway.limits;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code 429}: the caller may try again after {@code retryAfter}, which goes out as {@code Retry-After}
 * (whole seconds, at least 1). The request was refused unread, so the connection is closed after the
 * answer rather than left with an unread body in it.
 */
class RateLimitedException extends ResponseStatusException {

    private final Duration retryAfter;

    public RateLimitedException(Duration retryAfter) {
        super(HttpStatus.TOO_MANY_REQUESTS);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public HttpHeaders getHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
        headers.set(HttpHeaders.CONNECTION, "close");
        return headers;
    }

    /** Whole seconds, rounded up, at least 1 (a {@code Retry-After: 0} would invite an immediate retry). */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
