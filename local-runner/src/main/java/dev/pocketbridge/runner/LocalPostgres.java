package dev.pocketbridge.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real, durable PostgreSQL server from Maven artifacts (zonky), with its data directory kept between runs. */
final class LocalPostgres implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static LocalPostgres start(Path dataDirectory, int port, List<String> databases) throws IOException, SQLException {
        Files.createDirectories(dataDirectory);
        removeStaleLock(dataDirectory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                // Durable: an event_ack means the event is on disk. The embedded library's defaults
                // (made for throw-away test databases) turn these off.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (Statement s = c.createStatement()) {
                // The services connect with the documented default credentials.
                s.execute("ALTER USER postgres PASSWORD 'postgres'");
            }
            for (String database : databases) {
                try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    exists.setString(1, database);
                    try (ResultSet rs = exists.executeQuery(); Statement create = c.createStatement()) {
                        if (!rs.next()) {
                            create.execute("CREATE DATABASE " + database);
                        }
                    }
                }
            }
        }
        return new LocalPostgres(postgres);
    }

    /** A run that was killed leaves postmaster.pid behind; PostgreSQL refuses to start while it names a live process. */
    private static void removeStaleLock(Path dataDirectory) throws IOException {
        Path lock = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(lock)) {
            return;
        }
        List<String> lines = Files.readAllLines(lock);
        long pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("PostgreSQL (pid " + pid + ") still runs on " + dataDirectory
                    + ": is another run command active? Stop it first.");
        }
        Files.delete(lock);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
