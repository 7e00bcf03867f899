package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.time.Duration;

/**
 * For {@link DeviceLockTest}: another process holding a device's lock. Takes the lock of the state
 * file named by its first argument for the command named by its second, prints {@code locked}, and
 * holds it until its standard input ends.
 */
final class DeviceLockHolder {

    private DeviceLockHolder() {
    }

    public static void main(String[] args) throws IOException {
        try (DeviceLock lock = DeviceLock.acquire(java.nio.file.Path.of(args[0]), args[1], Duration.ofSeconds(30), System.err,
                System::nanoTime, Reconnecting.SLEEP)) {
            System.out.println("locked");
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
