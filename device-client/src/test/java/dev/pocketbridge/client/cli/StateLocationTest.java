package dev.pocketbridge.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateLocationTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private StateLocation linux(Map<String, String> env) {
        return new StateLocation("Linux", env, home, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theConfigDirectoryIsThePlatforms() {
        assertThat(StateLocation.configDir("Linux", Map.of(), home)).isEqualTo(home.resolve(".config/pocketbridge"));
        assertThat(StateLocation.configDir("Linux", Map.of("XDG_CONFIG_HOME", "/xdg"), home))
                .isEqualTo(Path.of("/xdg/pocketbridge"));
        assertThat(StateLocation.configDir("Linux", Map.of("XDG_CONFIG_HOME", "relative/xdg"), home))
                .as("the XDG spec: a relative path is ignored").isEqualTo(home.resolve(".config/pocketbridge"));
        assertThat(StateLocation.configDir("FreeBSD", Map.of("XDG_CONFIG_HOME", ""), home))
                .isEqualTo(home.resolve(".config/pocketbridge"));
        assertThat(StateLocation.configDir("Mac OS X", Map.of("XDG_CONFIG_HOME", "/xdg"), home))
                .isEqualTo(home.resolve("Library").resolve("Application Support").resolve("PocketBridge"));
        assertThat(StateLocation.configDir("Windows 11", Map.of("APPDATA", "C:\\Users\\me\\AppData\\Roaming"), home))
                .isEqualTo(Path.of("C:\\Users\\me\\AppData\\Roaming").resolve("PocketBridge"));
        assertThat(StateLocation.configDir("Windows 11", Map.of(), home))
                .isEqualTo(home.resolve("AppData").resolve("Roaming").resolve("PocketBridge"));
    }

    @Test
    void theOptionWinsThenTheEnvironmentThenTheConfigDirectory() {
        StateLocation location = linux(Map.of(StateLocation.ENV, "/from/env.json"));

        assertThat(location.resolve(Path.of("given.json"))).isEqualTo(Path.of("given.json"));
        assertThat(location.resolve(null)).isEqualTo(Path.of("/from/env.json"));
        assertThat(linux(Map.of()).resolve(null)).isEqualTo(home.resolve(".config/pocketbridge/device.json"));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theOldPlaceIsReadWhenTheNewOneHasNothingAndSaidSoOnce() throws Exception {
        Path old = Files.createDirectories(home.resolve(".pocketbridge")).resolve("device.json");
        Files.writeString(old, "{}");
        StateLocation location = linux(Map.of());

        assertThat(location.resolve(null)).isEqualTo(old);
        assertThat(location.resolve(null)).isEqualTo(old);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("note: using the state file in its old place, " + old
                + "; the default is now " + home.resolve(".config/pocketbridge/device.json")
                + " (move it there, or pass --state)\n");
        Path current = Files.createDirectories(home.resolve(".config/pocketbridge")).resolve("device.json");
        Files.writeString(current, "{}");
        assertThat(location.resolve(null)).as("once the new one exists, it is used").isEqualTo(current);
    }
}
