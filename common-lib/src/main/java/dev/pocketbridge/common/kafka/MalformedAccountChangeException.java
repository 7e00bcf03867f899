package dev.pocketbridge.common.kafka;

/**
 * An account-change record no service can act on: no value, or an id that is not a canonical UUID;
 * or a {@code devices.credentials} record that is not the credentials of the device it is keyed by.
 */
public class MalformedAccountChangeException extends IllegalArgumentException {

    public MalformedAccountChangeException(String message) {
        super(message);
    }
}
