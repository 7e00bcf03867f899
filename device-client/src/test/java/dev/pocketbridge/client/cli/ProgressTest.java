package dev.pocketbridge.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void onATerminalABarIsRedrawnInPlaceAndEndsWithANewline() {
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), true, "sending a.bin", 4,
                4 * 524_288L);

        progress.update(1, 524_288);
        progress.update(4, 4 * 524_288L);
        progress.finish();

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "\rsending a.bin [######------------------] 1/4 chunks, 512.0 KiB of 2.0 MiB\u001b[K"
                        + "\rsending a.bin [########################] 4/4 chunks, 2.0 MiB of 2.0 MiB\u001b[K\n");
    }

    @Test
    void elsewhereEachStepIsAPlainLine() {
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), false, "receiving a.bin", 2,
                1000);

        progress.update(1, 600);
        progress.update(2, 1000);
        progress.finish();

        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("receiving a.bin: 1/2 chunks, 600 B of 1000 B\nreceiving a.bin: 2/2 chunks, 1000 B of 1000 B\n");
    }

    @Test
    void sizesAreInBinaryUnits() {
        assertThat(Progress.bytes(0)).isEqualTo("0 B");
        assertThat(Progress.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Progress.bytes(1_300_000)).isEqualTo("1.2 MiB");
        assertThat(Progress.bytes(3L << 30)).isEqualTo("3.0 GiB");
    }
}
