package dev.pocketbridge.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child JVM for {@link LocalPostgresTest}: starts the run command's PostgreSQL and exits; its
 * shutdown hook, like the run command's, stops the server itself, after watching for a while
 * whether anything else (another shutdown hook) stopped it first, and says so.
 */
public final class PostgresOwner {

    private static final Duration WATCH = Duration.ofSeconds(3);

    private PostgresOwner() {
    }

    public static void main(String[] args) throws Exception {
        LocalPostgres postgres = LocalPostgres.start(Path.of(args[0]), Integer.parseInt(args[1]), List.of(), Path.of(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("up while the JVM shut down: " + !endsWithin(postgres, WATCH));
            try {
                postgres.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println("started");
        System.exit(0);
    }

    /** Whether the postmaster ends (anything else stopped it) within {@code watch}. */
    private static boolean endsWithin(LocalPostgres postgres, Duration watch) {
        Optional<ProcessHandle> postmaster = ProcessHandle.of(postgres.pid());
        if (postmaster.isEmpty()) {
            return true;
        }
        try {
            postmaster.get().onExit().get(watch.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
