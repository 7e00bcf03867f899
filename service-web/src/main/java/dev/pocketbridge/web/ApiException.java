package dev.pocketbridge.web;

import org.springframework.http.HttpStatus;

/**
 * A failure the caller can act on: answered as a problem detail with this status and stable
 * {@code code}. Throw it from controllers and services; anything else is a bug and a 500.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
