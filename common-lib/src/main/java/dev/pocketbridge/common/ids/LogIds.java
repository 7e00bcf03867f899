package dev.pocketbridge.common.ids;

/**
 * The names and the short form of the ids that log lines carry (the logging context, MDC): the
 * request id of a REST request, and the user and device a line is about, shortened so that a log
 * line does not carry a whole account id. The short form is the last 8 hex digits of the UUID: ids
 * made by the server are time-ordered (v7), whose first digits are a timestamp shared by every id
 * made in the same minute, while the last ones are random in every UUID version.
 */
public final class LogIds {

    /** The request id of a REST request ({@code X-Request-ID}). */
    public static final String REQUEST_ID = "request_id";
    /** The short user id ({@link #shorten}). */
    public static final String USER_ID = "user_id";
    /** The short device id ({@link #shorten}). */
    public static final String DEVICE_ID = "device_id";

    private static final int SHORT_LENGTH = 8;

    private LogIds() {
    }

    /** The last 8 characters of {@code id} (a UUID's last 8 hex digits), {@code id} itself when shorter, or null. */
    public static String shorten(String id) {
        if (id == null) {
            return null;
        }
        return id.length() <= SHORT_LENGTH ? id : id.substring(id.length() - SHORT_LENGTH);
    }
}
