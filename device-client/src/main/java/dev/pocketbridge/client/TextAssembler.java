package dev.pocketbridge.client;

/**
 * Joins the parts of one WebSocket text message: {@link java.net.http.WebSocket.Listener#onText}
 * may deliver a message in several calls, all but the last with {@code last=false}. Not
 * thread-safe; the WebSocket calls its listener one call at a time.
 */
public final class TextAssembler {

    private final int maxChars;
    private final StringBuilder buffer = new StringBuilder();

    /** {@code maxChars}: the longest message accepted; a longer one fails rather than filling memory. */
    public TextAssembler(int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive");
        }
        this.maxChars = maxChars;
    }

    /**
     * Adds one part. Returns the whole message when {@code last} is true, else null.
     *
     * @throws IllegalStateException when the message grows beyond {@code maxChars} (the buffer is
     *         then cleared)
     */
    public String accept(CharSequence part, boolean last) {
        if (buffer.length() + part.length() > maxChars) {
            buffer.setLength(0);
            throw new IllegalStateException("text message longer than " + maxChars + " characters");
        }
        if (last && buffer.isEmpty()) {
            return part.toString(); // the common case: a message in one part, no copy into the buffer
        }
        buffer.append(part);
        if (!last) {
            return null;
        }
        String message = buffer.toString();
        buffer.setLength(0);
        return message;
    }

    /** Characters of an unfinished message held so far. */
    public int pending() {
        return buffer.length();
    }
}
