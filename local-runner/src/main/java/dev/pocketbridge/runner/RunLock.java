package dev.pocketbridge.runner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run command per checkout at a time: taken before anything is started or extracted, held until
 * the runner's JVM ends (the operating system lets go of it however that JVM ends, SIGKILL included,
 * so a stale lock never has to be cleaned up by hand). Without it, two runs started at the same
 * moment both pass the port checks and extract the services' jars over each other.
 */
final class RunLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws IllegalStateException when another run holds {@code file}, saying so
     */
    static RunLock acquire(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM already
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another ./pocketbridge run (or a bench that started the system) is running in "
                    + file.getParent().getParent() + " (it holds " + file + "); stop it first");
        }
        return new RunLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
