package dev.pocketbridge.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run command's log files stay bounded while their writers go on appending. */
class LogRotationTest {

    @TempDir
    Path logs;

    @Test
    void aFileAboveTheCapIsKeptAsTheOlderCopyAndItsWriterGoesOnFromTheStart() throws IOException {
        Path gateway = logs.resolve("gateway-service.log");
        Path small = logs.resolve("kafka.log");
        Path other = logs.resolve("notes.txt");
        Files.writeString(small, "short\n");
        Files.writeString(other, "x".repeat(200));
        // As a child's output: opened for appending, never reopened.
        try (FileOutputStream writer = new FileOutputStream(gateway.toFile(), true)) {
            writer.write("old line\n".repeat(20).getBytes(StandardCharsets.UTF_8));

            assertThat(new LogRotation(logs, 100).rotateLarge()).containsExactly(gateway);
            writer.write("new line\n".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(Files.readString(gateway)).isEqualTo("new line\n");
        assertThat(Files.readString(logs.resolve("gateway-service.log.1"))).isEqualTo("old line\n".repeat(20));
        assertThat(Files.readString(small)).isEqualTo("short\n");
        assertThat(Files.size(other)).isEqualTo(200);
        assertThat(new LogRotation(logs, 100).rotateLarge()).isEmpty();
    }

    @Test
    void theCapIsReadInWholeMebibytes() {
        assertThat(LogRotation.maxBytes(null)).isEqualTo(LogRotation.DEFAULT_MAX_BYTES);
        assertThat(LogRotation.maxBytes(" ")).isEqualTo(LogRotation.DEFAULT_MAX_BYTES);
        assertThat(LogRotation.maxBytes("8")).isEqualTo(8L * 1024 * 1024);
        assertThatThrownBy(() -> LogRotation.maxBytes("0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("POCKETBRIDGE_LOG_MAX_MB");
        assertThatThrownBy(() -> LogRotation.maxBytes("lots")).isInstanceOf(IllegalArgumentException.class);
    }
}
