package dev.pocketbridge.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DeviceLock}: one command at a time per device, in this process and across processes. */
class DeviceLockTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    /** A clock that only the pauses move. */
    private final AtomicLong now = new AtomicLong();

    @Test
    void aSecondCommandWaitsForTheFirstSayingSoOnceThenTakesTheLock() throws Exception {
        Path state = dir.resolve("device.json");
        DeviceLock first = DeviceLock.acquire(state, "send", Duration.ofSeconds(60), err, now::get, this::advance);
        AtomicInteger pauses = new AtomicInteger();

        try (DeviceLock second = DeviceLock.acquire(state, "send", Duration.ofSeconds(60), err, now::get, pause -> {
            advance(pause);
            if (pauses.incrementAndGet() == 3) {
                closeQuietly(first); // the first command ends while the second waits
            }
        })) {
            assertThat(second).isNotNull();
        }
        assertThat(pauses).hasValue(3);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).as("said once")
                .isEqualTo("waiting for another pocketbridge-cli command of this device (" + state
                        + ") to finish: a device has one session at a time\n");
        assertThat(DeviceLock.lockFile(state)).hasFileName("device.json.lock").exists();
    }

    @Test
    void givesUpAfterItsPatienceAndSaysWhatToDo() throws Exception {
        Path state = dir.resolve("device.json");
        try (DeviceLock held = DeviceLock.acquire(state, "send", Duration.ofSeconds(60), err, now::get, this::advance)) {
            assertThatThrownBy(() -> DeviceLock.acquire(state, "send", Duration.ofSeconds(2), err, now::get, this::advance))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("another pocketbridge-cli command of this device (" + state + ") is still running"
                            + " after 2 s")
                    .hasMessageContaining("stop that command (listen runs until Ctrl-C) or use another device's --state");
            assertThat(Duration.ofNanos(now.get())).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(2));
        }
        try (DeviceLock again = DeviceLock.acquire(state, "send", Duration.ofSeconds(2), err, now::get, this::advance)) {
            assertThat(again).as("free once its holder closed it").isNotNull();
        }
    }

    @Test
    void anotherProcessHoldingTheLockIsWaitedForUntilItEnds() throws Exception {
        Path state = dir.resolve("device.json");
        Process holder = holder(state, "send");
        try {
            assertThatThrownBy(() -> DeviceLock.acquire(state, "send", Duration.ofSeconds(1), err, now::get, this::advance))
                    .isInstanceOf(IOException.class).hasMessageContaining("is still running after 1 s");

            holder.getOutputStream().close(); // the other process ends, and the system releases its lock
            try (DeviceLock mine = DeviceLock.acquire(state, "send", Duration.ofSeconds(30), err, System::nanoTime,
                    Reconnecting.SLEEP)) {
                assertThat(mine).isNotNull();
            }
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.exitValue()).isZero();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aLockFileThatCannotBeMadeIsAnIoErrorAndNothingIsLeftOpen() throws IOException {
        Path state = dir.resolve("missing-dir").resolve("device.json");

        assertThatThrownBy(() -> DeviceLock.acquire(state, "send", Duration.ofSeconds(1), err, now::get, this::advance))
                .isInstanceOf(IOException.class);
        assertThat(Files.exists(state.getParent())).isFalse();
    }

    @Test
    void aListenInAnotherProcessIsNotWaitedFor() throws Exception {
        Path state = dir.resolve("device.json");
        Process holder = holder(state, DeviceLock.LISTEN);
        try {
            assertThatThrownBy(() -> DeviceLock.acquire(state, "send", Duration.ofSeconds(60), err, now::get, pause -> {
                throw new AssertionError("waited for a listen");
            })).isInstanceOf(IOException.class).hasMessage("this device is listening (pocketbridge-cli listen, process "
                    + holder.pid() + ", " + state + "); a device has one session at a time: stop that listen (Ctrl-C) or"
                    + " use another device's --state");
            assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEmpty();
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(30, TimeUnit.SECONDS);
            holder.destroyForcibly();
        }
    }

    @Test
    void aHolderNamedInTheFileThatHasEndedIsWaitedForLikeAnyOther() throws Exception {
        Path state = dir.resolve("device.json");
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();
        DeviceLock first = DeviceLock.acquire(state, "send", Duration.ofSeconds(60), err, now::get, this::advance);
        // what a listen killed while it held the lock leaves in the file
        Files.writeString(DeviceLock.lockFile(state), DeviceLock.LISTEN + " " + ended.pid());
        assertThat(DeviceLock.holder(DeviceLock.lockFile(state))).isNull();

        try (DeviceLock second = DeviceLock.acquire(state, "send", Duration.ofSeconds(60), err, now::get, pause -> {
            advance(pause);
            closeQuietly(first);
        })) {
            assertThat(DeviceLock.holder(DeviceLock.lockFile(state)))
                    .isEqualTo(new DeviceLock.Holder("send", ProcessHandle.current().pid()));
        }
        assertThat(Files.readString(DeviceLock.lockFile(state))).as("a released lock names no holder").isEmpty();
    }

    /**
     * Another JVM that has taken the lock of {@code state} for {@code command} (it said so) and holds
     * it until its input ends.
     */
    private static Process holder(Path state, String command) throws IOException {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), DeviceLockHolder.class.getName(), state.toString(), command)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(said).as("the holder process took the lock").isEqualTo("locked");
        return holder;
    }

    private static void closeQuietly(DeviceLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void advance(Duration pause) {
        now.addAndGet(pause.toNanos());
    }
}
