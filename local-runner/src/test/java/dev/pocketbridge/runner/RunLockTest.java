package dev.pocketbridge.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per checkout: a second is refused while the first lives, in this JVM or another, and not after. */
class RunLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondRunIsRefusedWhileTheFirstHoldsTheLockAndAcceptedOnceItLetsGo() throws Exception {
        Path file = dir.resolve("run.lock");
        RunLock first = RunLock.acquire(file);
        assertThatThrownBy(() -> RunLock.acquire(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another ./pocketbridge run")
                .hasMessageContaining(file.toString());
        first.close();
        RunLock.acquire(file).close();
    }

    @Test
    void aLockHeldByAnotherProcessRefusesThisOneAndIsFreedWhenThatProcessIsKilled() throws Exception {
        Path file = dir.resolve("run.lock");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // Another JVM (a source file launched as it is) takes the lock and keeps it.
        Path holder = dir.resolve("Holder.java");
        Files.writeString(holder, """
                public class Holder {
                    public static void main(String[] a) throws Exception {
                        var c = java.nio.channels.FileChannel.open(java.nio.file.Path.of(a[0]),
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                        c.lock();
                        System.out.println("locked");
                        Thread.sleep(600_000);
                    }
                }
                """);
        Process other = new ProcessBuilder(List.of(java.toString(), holder.toString(), file.toString()))
                .redirectErrorStream(true).start();
        try {
            assertThat(new String(other.getInputStream().readNBytes("locked".length()))).isEqualTo("locked");
            assertThatThrownBy(() -> RunLock.acquire(file)).isInstanceOf(IllegalStateException.class);
        } finally {
            other.destroyForcibly();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        RunLock.acquire(file).close();
    }
}
