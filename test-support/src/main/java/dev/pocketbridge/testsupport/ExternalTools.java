package dev.pocketbridge.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs outside the JVM that some tests run (helm, docker-compose, psql, chromium, …), found on
 * the {@code PATH}. A missing one skips the test that needs it, saying which and how to install it,
 * except when the environment variable {@code CI} is set: there it fails the test, so that CI never
 * passes by skipping ({@code .ci/run} installs every one of them).
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    /** {@code name} on the {@code PATH}, or the test is skipped (failed under CI) with {@code install} as the hint. */
    public static String require(String name, String install) {
        return onPath(name).orElseGet(() -> missing(name, install));
    }

    /** Skips the test (fails it under CI) because {@code what} is missing; never returns normally. */
    public static <T> T missing(String what, String install) {
        String message = what + " is not installed: " + install;
        if (isCi()) {
            Assertions.fail(message + " (CI is set, so a missing tool fails the check instead of skipping it)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** CI set to anything but empty or {@code false}, as CI services do. */
    public static boolean isCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    /** The executable {@code name} in a directory of the {@code PATH}, if any. */
    public static Optional<String> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
