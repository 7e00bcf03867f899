package dev.pocketbridge.runner;

import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM for {@link LocalPostgresTest}: starts the run command's PostgreSQL and exits; its
 * shutdown hook, like the run command's, stops the server itself, after watching for a while
 * whether anything else (another shutdown hook) stopped it first, and says so.
 */
public final class PostgresOwner {

    private static final long WATCH_NANOS = 3_000_000_000L;

    private PostgresOwner() {
    }

    public static void main(String[] args) throws Exception {
        LocalPostgres postgres = LocalPostgres.start(Path.of(args[0]), Integer.parseInt(args[1]), List.of(), Path.of(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean upThroughout = true;
            long end = System.nanoTime() + WATCH_NANOS;
            while (upThroughout && System.nanoTime() < end) {
                upThroughout = postgres.isAlive();
                Thread.onSpinWait();
            }
            System.out.println("up while the JVM shut down: " + upThroughout);
            try {
                postgres.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println("started");
        System.exit(0);
    }
}
