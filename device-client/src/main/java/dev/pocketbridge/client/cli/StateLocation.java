package dev.pocketbridge.client.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where this device's state file is: {@code --state FILE}, else {@code $POCKETBRIDGE_STATE}, else
 * {@code device.json} in the platform's config directory ({@link #configDir}). Before that
 * default, the CLI kept it in {@code ~/.pocketbridge/device.json}: when only that one exists it is
 * used, and the CLI says so once per run.
 */
final class StateLocation {

    static final String ENV = "POCKETBRIDGE_STATE";
    static final String FILE_NAME = "device.json";

    private final String osName;
    private final Map<String, String> env;
    private final Path home;
    private final PrintStream err;
    private boolean toldLegacy;

    StateLocation(String osName, Map<String, String> env, Path home, PrintStream err) {
        this.osName = osName;
        this.env = env;
        this.home = home;
        this.err = err;
    }

    /**
     * This machine's: {@code os.name}, the environment and the home directory ({@code $HOME} as the
     * shell has it, except on Windows; else {@code user.home}).
     */
    static StateLocation ofSystem(PrintStream err) {
        String os = System.getProperty("os.name", "");
        String home = System.getenv("HOME");
        boolean useHome = home != null && !os.toLowerCase(Locale.ROOT).startsWith("windows") && Path.of(home).isAbsolute();
        return new StateLocation(os, System.getenv(), Path.of(useHome ? home : System.getProperty("user.home")), err);
    }

    /**
     * The platform's directory for PocketBridge's configuration: {@code %APPDATA%\PocketBridge} on
     * Windows, {@code ~/Library/Application Support/PocketBridge} on macOS, else
     * {@code $XDG_CONFIG_HOME/pocketbridge} (when it is an absolute path, as the XDG spec asks) or
     * {@code ~/.config/pocketbridge}.
     */
    static Path configDir(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            return (isBlank(appData) ? home.resolve("AppData").resolve("Roaming") : Path.of(appData))
                    .resolve("PocketBridge");
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return home.resolve("Library").resolve("Application Support").resolve("PocketBridge");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (!isBlank(xdg) && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve("pocketbridge");
        }
        return home.resolve(".config").resolve("pocketbridge");
    }

    /** The default state file, in the config directory. */
    Path defaultFile() {
        return configDir(osName, env, home).resolve(FILE_NAME);
    }

    /** Where versions before the config directory kept the state by default. */
    Path legacyFile() {
        return home.resolve(".pocketbridge").resolve(FILE_NAME);
    }

    /** The state file to use: {@code option} when given, else as the class comment says. */
    Path resolve(Path option) {
        if (option != null) {
            return option;
        }
        String fromEnv = env.get(ENV);
        if (!isBlank(fromEnv)) {
            return Path.of(fromEnv);
        }
        Path file = defaultFile();
        Path legacy = legacyFile();
        if (!Files.exists(file) && Files.exists(legacy)) {
            if (!toldLegacy) {
                toldLegacy = true;
                err.println("note: using the state file in its old place, " + legacy + "; the default is now "
                        + file + " (move it there, or pass --state)");
            }
            return legacy;
        }
        return file;
    }

    /** How the state file is chosen, for the help text: lines. */
    String[] describe() {
        return new String[] {"State file: --state FILE, else $" + ENV + ", else", "  " + defaultFile(),
            "  (or " + legacyFile() + ", its place before, while the new one does not exist)."};
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
