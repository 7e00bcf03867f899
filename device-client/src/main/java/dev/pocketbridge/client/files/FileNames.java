package dev.pocketbridge.client.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where a received file may be written (docs/content-format.md): its base name only, a safe
 * substitute for names that are none, and never over an existing file.
 */
public final class FileNames {

    private FileNames() {
    }

    /**
     * The base name of {@code name}: everything after its last {@code /} or {@code \}, control
     * characters replaced by {@code _}; {@code file-<fileId>} when that leaves {@code .},
     * {@code ..} or nothing.
     */
    public static String safeName(String name, String fileId) {
        String base = stripPath(name == null ? "" : name);
        if (base.isBlank() || base.equals(".") || base.equals("..")) {
            base = "file-" + stripPath(fileId.replace('/', '_').replace('\\', '_'));
        }
        return base;
    }

    private static String stripPath(String name) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder safe = new StringBuilder(base.length());
        base.codePoints().forEach(cp -> safe.appendCodePoint(Character.isISOControl(cp) ? '_' : cp));
        return safe.toString();
    }

    /** {@code name} with {@code " (n)"} before its extension: {@code report (2).pdf}, {@code .bashrc (2)}. */
    public static String numbered(String name, int n) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + " (" + n + ")" + name.substring(dot) : name + " (" + n + ")";
    }

    /**
     * Creates an empty file for {@code name} in {@code dir} that did not exist before:
     * {@code dir/name}, else {@code name (1)}, {@code name (2)}, …; the caller then replaces it.
     */
    public static Path reserve(Path dir, String name) throws IOException {
        for (int n = 0;; n++) {
            Path target;
            try {
                target = dir.resolve(n == 0 ? name : numbered(name, n));
            } catch (InvalidPathException e) {
                throw new IOException("\"" + name + "\" is not a file name here: " + e.getMessage(), e);
            }
            try {
                return Files.createFile(target);
            } catch (FileAlreadyExistsException e) {
                // taken: try the next number
            }
        }
    }
}
