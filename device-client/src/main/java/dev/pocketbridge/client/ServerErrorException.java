package dev.pocketbridge.client;

/** The server answered a request on the session (e.g. a {@code replay_request}) with an {@code error} frame. */
public class ServerErrorException extends RuntimeException {

    private final String code;

    public ServerErrorException(String code, String message) {
        super(code + (message == null ? "" : ": " + message));
        this.code = code;
    }

    /** The frame's {@code code}, e.g. {@code invalid_request} or {@code invalid_continuation_token}. */
    public String code() {
        return code;
    }
}
