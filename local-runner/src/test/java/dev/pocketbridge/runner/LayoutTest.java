package dev.pocketbridge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutTest {

    @TempDir
    Path root;

    @Test
    void aJvmStartedWithTheGcLogOptionLogsItsCollectionsBesideItsOutputInBoundedFiles() throws Exception {
        // A directory name with a space: the option quotes the file.
        Layout layout = Layout.at(root, root.resolve("data dir"));
        String option = layout.gcLogOption("event-service");

        assertThat(option).contains("filecount=3", "filesize=10m");
        int exit = runJava(List.of("-XX:+UseSerialGC", option, "-version"));

        assertThat(exit).isZero();
        Path log = layout.logs().resolve("event-service-gc.log");
        assertThat(log).exists();
        assertThat(Files.readString(log)).contains("Using Serial");
        assertThat(log).isNotEqualTo(layout.log("event-service"));
    }

    private int runJava(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(root.resolve("out.txt").toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
