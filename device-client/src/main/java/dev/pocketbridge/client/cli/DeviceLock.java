package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One command at a time per device. A device has one session at a time (PROTOCOL §3.1: a newer
 * session closes the older one with 4409), and the command that sends reads, raises and saves
 * the state file's {@code device_seq}; two commands of one device at once would close each other's
 * sessions and could reuse a {@code device_seq}. So {@code send} and {@code listen} hold an
 * exclusive lock on a file beside the state file ({@code STATE.lock}) while they run, and a second
 * command of the same device waits for it, saying so once, for up to its patience. The holder
 * writes its command and process id into the file; a {@code listen}, which holds the device until
 * Ctrl-C, is not waited for: the second command fails at once, saying so. The operating system
 * releases the lock when the process ends, however it ends.
 */
final class DeviceLock implements AutoCloseable {

    /** How often a waiting command tries the lock again. */
    static final Duration POLL = Duration.ofMillis(100);
    /** The command whose lock is not waited for: it holds the device until it is stopped. */
    static final String LISTEN = "listen";

    private final FileChannel channel;
    private final FileLock lock;

    private DeviceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of the device whose state is in {@code state}. */
    static Path lockFile(Path state) {
        return state.resolveSibling(state.getFileName() + ".lock");
    }

    /**
     * Deletes the lock file of a device whose state file is gone. Only tidying: the file is empty,
     * and one that cannot be deleted (held open by a command still running, on Windows) is left.
     */
    static void deleteLockFile(Path state) {
        try {
            Files.deleteIfExists(lockFile(state));
        } catch (IOException e) {
            // left behind: harmless
        }
    }

    /**
     * Takes the lock of {@code state}'s device for {@code command}, waiting while another command
     * holds it (in this process or another) until {@code patience} has passed since the first try
     * ({@code nanoTime}: a monotonic clock), unless that is a running {@value #LISTEN}.
     *
     * @throws IOException when the lock file cannot be opened, or the other command still holds it,
     *         or a {@value #LISTEN} does
     */
    static DeviceLock acquire(Path state, String command, Duration patience, PrintStream err, LongSupplier nanoTime,
            Reconnecting.Pause pause) throws IOException {
        Path file = lockFile(state);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            long start = nanoTime.getAsLong();
            boolean said = false;
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    DeviceLock held = new DeviceLock(channel, lock);
                    held.write(command + " " + ProcessHandle.current().pid());
                    return held;
                }
                Holder holder = holder(file);
                if (holder != null && holder.command().equals(LISTEN)) {
                    throw new IOException("this device is listening (pocketbridge-cli listen, process " + holder.pid()
                            + ", " + state + "); a device has one session at a time: stop that listen (Ctrl-C) or use"
                            + " another device's --state");
                }
                if (Duration.ofNanos(nanoTime.getAsLong() - start).plus(POLL).compareTo(patience) > 0) {
                    throw new IOException("another pocketbridge-cli command of this device (" + state + ") is still"
                            + " running after " + patience.toSeconds() + " s; a device has one session at a time:"
                            + " stop that command (listen runs until Ctrl-C) or use another device's --state");
                }
                if (!said) {
                    err.println("waiting for another pocketbridge-cli command of this device (" + state
                            + ") to finish: a device has one session at a time");
                    said = true;
                }
                pause.sleep(POLL);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the lock of " + state, e);
        }
    }

    /** A lock holder as its file says: its command and process id. */
    record Holder(String command, long pid) {
    }

    /**
     * The holder that the lock file names, when that process is still running; null when the file
     * names none (being taken, released, or unreadable: on Windows a locked file is) or a process
     * that has ended (killed while it held the lock: the file keeps its name, not its lock).
     */
    static Holder holder(Path file) {
        try {
            String[] words = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
            if (words.length != 2) {
                return null;
            }
            long pid = Long.parseLong(words[1]);
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? new Holder(words[0], pid) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Puts {@code text} in the lock file, in place of what was there. */
    private void write(String text) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    }

    /** The lock, or null while another holder has it: another process, or another command in this one. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            write(""); // a later reader finds no holder named
            lock.release();
        } finally {
            channel.close();
        }
    }
}
