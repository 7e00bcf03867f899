package dev.pocketbridge.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-tools/find-jdk.sh, the one way ./pocketbridge and pocketbridge-cli pick Java, run by bash
 * with fake Java installations: scripts that answer {@code -XshowSettings:properties} as a JDK or
 * JRE of some version would.
 */
class FindJdkScriptTest {

    private static final Path SCRIPT = Path.of("../build-tools/find-jdk.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path jvms;
    private Path bin;

    private record Outcome(int status, String javaHome, String err) {
    }

    @BeforeEach
    void fakeMachine() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        jvms = Files.createDirectories(dir.resolve("jvm"));
        bin = Files.createDirectories(dir.resolve("bin"));
        // the default java is 17, as on this project's build machine
        Path java17 = java(dir.resolve("java-17"), 17, true);
        Files.createSymbolicLink(bin.resolve("java"), java17.resolve("bin/java"));
        for (String tool : List.of("bash", "sed", "head", "dirname", "readlink")) {
            Path real = Files.isExecutable(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
    }

    @Test
    void picksTheNewestJdkBesideADefaultJava17() throws Exception {
        java(jvms.resolve("java-17-openjdk"), 17, true);
        java(jvms.resolve("temurin-21-jdk"), 21, true);
        java(jvms.resolve("temurin-25-jdk"), 25, true);
        java(jvms.resolve("jre-26"), 26, false);

        assertThat(find("jdk", null).javaHome()).isEqualTo(jvms.resolve("temurin-25-jdk").toString());
        assertThat(find("jre", null).javaHome()).as("a JRE is enough to run").isEqualTo(jvms.resolve("jre-26").toString());
    }

    @Test
    void aJavaHomeThatIsOneIsKeptAndOneThatIsNotIsPassedOver() throws Exception {
        Path jdk21 = java(dir.resolve("elsewhere-21"), 21, true);
        java(jvms.resolve("temurin-25-jdk"), 25, true);

        assertThat(find("jdk", jdk21.toString()).javaHome()).isEqualTo(jdk21.toString());
        assertThat(find("jdk", dir.resolve("java-17").toString()).javaHome())
                .isEqualTo(jvms.resolve("temurin-25-jdk").toString());
    }

    @Test
    void withNothingNewEnoughItSaysWhatItFoundEachLineEndingWithANewline() throws Exception {
        java(jvms.resolve("java-17-openjdk"), 17, true);
        java(jvms.resolve("jre-21"), 21, false);

        Outcome outcome = find("jdk", null);

        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).startsWith("PocketBridge needs a JDK 21 or newer, and none was found.\n")
                .contains("The java on the PATH, " + bin.resolve("java") + ", is Java 17.\n")
                .contains("The newest under " + jvms + " is Java 17").endsWith(".\n");
        assertThat(find("jre", null).javaHome()).isEqualTo(jvms.resolve("jre-21").toString());
    }

    /** Sources the script in bash with only the fake bin on the PATH; prints JAVA_HOME on success. */
    private Outcome find(String kind, String javaHome) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(bin.resolve("bash").toString(), "-c",
                "set -euo pipefail; . \"$1\"; pb_find_java " + kind + " || exit 1; printf %s \"$JAVA_HOME\"", "test",
                SCRIPT.toString());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", bin.toString());
        env.put("POCKETBRIDGE_JVM_DIRS", jvms.toString());
        if (javaHome != null) {
            env.put("JAVA_HOME", javaHome);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Outcome(process.exitValue(), out, err);
    }

    /** A fake Java installation of {@code version} in {@code home}; with javac when {@code jdk}. */
    private static Path java(Path home, int version, boolean jdk) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        executable(home.resolve("bin/java"), "#!/bin/bash\necho 'Property settings:' >&2\n"
                + "echo '    java.specification.version = " + version + "' >&2\necho 'openjdk version \"" + version
                + "\"' >&2\n");
        if (jdk) {
            executable(home.resolve("bin/javac"), "#!/bin/bash\nexit 0\n");
        }
        return home;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
