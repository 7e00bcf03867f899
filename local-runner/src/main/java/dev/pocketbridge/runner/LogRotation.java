package dev.pocketbridge.runner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the run command's log files bounded. A {@code .log} file of the logs directory larger than
 * the cap is copied to {@code <name>.log.1} (replacing the one before) and emptied in place, the way
 * logrotate's {@code copytruncate} does it: every child appends to its file (its output was opened
 * with {@code O_APPEND}), so it goes on writing at the new end without reopening anything. A line
 * written between the copy and the emptying is lost. So each file takes at most about twice the cap.
 */
final class LogRotation {

    /** The cap when {@code POCKETBRIDGE_LOG_MAX_MB} does not set one. */
    static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;

    private final Path directory;
    private final long maxBytes;

    LogRotation(Path directory, long maxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
    }

    /** The cap from {@code POCKETBRIDGE_LOG_MAX_MB} (whole MiB, at least 1), else {@link #DEFAULT_MAX_BYTES}. */
    static long maxBytes(String setting) {
        if (setting == null || setting.isBlank()) {
            return DEFAULT_MAX_BYTES;
        }
        try {
            long megabytes = Long.parseLong(setting.strip());
            if (megabytes >= 1) {
                return megabytes * 1024 * 1024;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("POCKETBRIDGE_LOG_MAX_MB must be a whole number of MiB, at least 1: " + setting);
    }

    /** Rotates every log file above the cap; a file that cannot be read or written is left as it is. */
    List<Path> rotateLarge() {
        List<Path> rotated = new ArrayList<>();
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(directory, "*.log")) {
            for (Path log : logs) {
                if (Files.isRegularFile(log) && Files.size(log) > maxBytes && rotate(log)) {
                    rotated.add(log);
                }
            }
        } catch (IOException e) {
            // The directory went away or cannot be listed: nothing to bound.
        }
        return rotated;
    }

    private static boolean rotate(Path log) {
        try {
            Files.copy(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
