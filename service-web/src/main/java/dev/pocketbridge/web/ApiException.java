package dev.pocketbridge.web;

import java.time.Duration;

import org.springframework.http.HttpStatus;

import dev.pocketbridge.common.internal.ProblemCodes;

/**
 * A failure the caller can act on: answered as a problem detail with this status and stable
 * {@code code}. Throw it from controllers and services; anything else is a bug and a 500.
 * A {@link #retryAfter() retry-after} becomes the {@code Retry-After} header (PROTOCOL §2: every
 * 429 and 503 carries one).
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Duration retryAfter;

    public ApiException(HttpStatus status, String code, String detail) {
        this(status, code, detail, null);
    }

    public ApiException(HttpStatus status, String code, String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** 503 {@code unavailable}: a dependency did not answer; the caller retries after {@code retryAfter}. */
    /** {@code 400 invalid_request}: the request is malformed in the way {@code detail} says. */
    public static ApiException invalidRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_REQUEST, detail);
    }

    public static ApiException unavailable(String detail, Duration retryAfter) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", detail, retryAfter);
    }

    /** 429 {@code rate_limited}: the caller may try again after {@code retryAfter}. */
    public static ApiException rateLimited(Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, ProblemCodes.RATE_LIMITED,
                "too many requests; retry after the time in Retry-After", retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** How long the caller should wait before retrying, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
