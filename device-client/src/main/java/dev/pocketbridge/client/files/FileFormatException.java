package dev.pocketbridge.client.files;

/** A {@code file} chunk that does not follow docs/content-format.md: a receiver reports it and ignores it. */
public class FileFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FileFormatException(String message) {
        super(message);
    }

    public FileFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
