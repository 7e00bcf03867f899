package dev.pocketbridge.client;

/** No matching frame (or close) arrived within the time the caller allowed. */
public class AwaitTimeoutException extends RuntimeException {

    public AwaitTimeoutException(String message) {
        super(message);
    }
}
