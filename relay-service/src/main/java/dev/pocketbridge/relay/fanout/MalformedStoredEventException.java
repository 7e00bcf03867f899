package dev.pocketbridge.relay.fanout;

/** A readable {@code events.stored} record that lacks what routing needs; retrying cannot help. */
class MalformedStoredEventException extends RuntimeException {

    MalformedStoredEventException(String message) {
        super(message);
    }
}
