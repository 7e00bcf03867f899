package dev.pocketbridge.common.kafka;

/** An account-change record no service can act on: no value, or an id that is not a canonical UUID. */
public class MalformedAccountChangeException extends IllegalArgumentException {

    public MalformedAccountChangeException(String message) {
        super(message);
    }
}
