package dev.pocketbridge.event.log;

/**
 * An inbound record that no retry can make acceptable and that cannot even be answered (no
 * canonical user or device id): it goes to the dead-letter topic at once.
 */
public class MalformedInboundException extends RuntimeException {

    public MalformedInboundException(String message) {
        super(message);
    }
}
