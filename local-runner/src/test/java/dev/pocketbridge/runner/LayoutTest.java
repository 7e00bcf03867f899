package dev.pocketbridge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutTest {

    @TempDir
    Path root;

    @Test
    void aJvmStartedWithTheLogOptionsLogsItsCollectionsBesideItsOutputInBoundedFiles() throws Exception {
        // A directory name with a space: the option quotes the file.
        Layout layout = Layout.at(root, root.resolve("data dir"));
        List<String> options = layout.jvmLogOptions("event-service");

        assertThat(options.getFirst()).contains("filecount=3", "filesize=10m");
        List<String> arguments = new ArrayList<>(List.of("-XX:+UseSerialGC"));
        arguments.addAll(options);
        arguments.add("-version");
        int exit = runJava(arguments);

        assertThat(exit).isZero();
        Path log = layout.logs().resolve("event-service-gc.log");
        assertThat(log).exists();
        assertThat(Files.readString(log)).contains("Using Serial");
        assertThat(log).isNotEqualTo(layout.log("event-service"));
        assertThat(layout.logs()).as("no crash report from a JVM that did not crash")
                .isDirectoryNotContaining("glob:**/*crash*");
    }

    @Test
    void aJvmThatCrashesWritesItsReportToTheLogsNotToItsWorkingDirectory() throws Exception {
        Layout layout = Layout.at(root, root.resolve("data dir"));
        Path program = root.resolve("Crash.java");
        Files.writeString(program, "class Crash { public static void main(String[] a) { System.out.println(new byte[1 << 30].length); } }");
        // An OutOfMemoryError made into a crash of the JVM itself, without a core dump.
        List<String> arguments = new ArrayList<>(List.of("-Xmx64m", "-XX:+CrashOnOutOfMemoryError", "-XX:-CreateCoredumpOnCrash"));
        arguments.addAll(layout.jvmLogOptions("relay-service"));
        arguments.add(program.toString());

        int exit = runJava(arguments);

        assertThat(exit).as("the JVM crashed").isNotZero();
        try (Stream<Path> logs = Files.list(layout.logs())) {
            List<Path> reports = logs.filter(p -> p.getFileName().toString().startsWith("relay-service-crash-")).toList();
            assertThat(reports).hasSize(1);
            assertThat(reports.getFirst().getFileName().toString()).matches("relay-service-crash-\\d+\\.log");
            assertThat(Files.readString(reports.getFirst())).contains("A fatal error has been detected by the Java Runtime Environment");
        }
        assertThat(root).as("nothing in the working directory").isDirectoryNotContaining("glob:**/hs_err*");
    }

    private int runJava(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(root.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
