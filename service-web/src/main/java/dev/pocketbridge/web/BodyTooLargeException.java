package dev.pocketbridge.web;

import java.io.IOException;

/**
 * A request body went past its route's limit while being read; an {@link IOException} because it
 * is thrown from the body's stream, answered {@code 413 payload_too_large}.
 */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException(long maxBytes) {
        super("the request body is larger than " + maxBytes + " bytes", null);
    }
}
