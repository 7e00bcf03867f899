package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {

    @TempDir
    Path dir;

    @Test
    void samplesAnotherJvmAndWritesItsStacks() throws Exception {
        assumeThat(Profile.platform()).as("async-profiler's platforms").isIn("linux-x64", "linux-arm64", "macos");
        // Another JVM (a source file launched as it is) spins in a method the profile must name.
        Path spinner = dir.resolve("Spinner.java");
        Files.writeString(spinner, """
                public class Spinner {
                    static volatile long sink;
                    public static void main(String[] a) {
                        System.out.println("spinning");
                        while (true) {
                            spinForTheProfiler();
                        }
                    }
                    static void spinForTheProfiler() {
                        long x = sink;
                        for (int i = 0; i < 1_000_000; i++) {
                            x = x * 31 + i;
                        }
                        sink = x;
                    }
                }
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process other = new ProcessBuilder(List.of(java.toString(), spinner.toString())).redirectErrorStream(true).start();
        try {
            assertThat(new String(other.getInputStream().readNBytes("spinning".length()))).isEqualTo("spinning");
            Path out = dir.resolve("spinner.collapsed");

            // itimer: perf events are not allowed everywhere (containers, CI).
            Profile.run(String.valueOf(other.pid()), "itimer", Duration.ofSeconds(2), out);

            List<String> stacks = Files.readAllLines(out);
            assertThat(stacks).as("collapsed stacks, one per line with its sample count").isNotEmpty()
                    .allMatch(line -> line.matches(".+ [0-9]+"));
            assertThat(stacks).anyMatch(line -> line.contains("Spinner.spinForTheProfiler"));
        } finally {
            other.destroyForcibly();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
