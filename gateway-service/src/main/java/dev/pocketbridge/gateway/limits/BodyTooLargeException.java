package dev.pocketbridge.gateway.limits;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code 413}: the request body is above its route's limit; the reason names the limit. The
 * connection is closed after the answer: the rest of the body is never read.
 */
public class BodyTooLargeException extends ResponseStatusException {

    public BodyTooLargeException(long maxBytes) {
        super(HttpStatus.CONTENT_TOO_LARGE, "the request body is larger than " + maxBytes + " bytes");
    }

    @Override
    public HttpHeaders getHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONNECTION, "close");
        return headers;
    }
}
