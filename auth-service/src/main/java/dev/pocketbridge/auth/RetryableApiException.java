package dev.pocketbridge.auth;

import java.time.Duration;

import org.springframework.http.HttpStatus;

import dev.pocketbridge.web.ApiException;

/** An {@link ApiException} (429/503) whose answer must carry {@code Retry-After}. */
public class RetryableApiException extends ApiException {

    private final Duration retryAfter;

    public RetryableApiException(HttpStatus status, String code, String detail, Duration retryAfter) {
        super(status, code, detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
