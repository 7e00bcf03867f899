package dev.pocketbridge.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real, durable PostgreSQL server from Maven artifacts (zonky), with its data directory kept between runs. */
public final class LocalPostgres implements AutoCloseable, Supervisor.Running {

    /** PostgreSQL's cache of table and index blocks; the run command's only memory setting for it. */
    static final String SHARED_BUFFERS = "512MB";

    private final EmbeddedPostgres postgres;
    /** The postmaster: PostgreSQL runs as its own process tree, started by pg_ctl. */
    private final ProcessHandle postmaster;
    private final Path dataDirectory;
    private final int port;
    private final List<String> databases;
    private final Path log;

    private LocalPostgres(EmbeddedPostgres postgres, ProcessHandle postmaster, Path dataDirectory, int port,
            List<String> databases, Path log) {
        this.postgres = postgres;
        this.postmaster = postmaster;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.databases = List.copyOf(databases);
        this.log = log;
    }

    public static LocalPostgres start(Path dataDirectory, int port, List<String> databases, Path log) throws IOException, SQLException {
        Files.createDirectories(dataDirectory);
        removeStaleLock(dataDirectory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                // Its owner stops it, last: the run command after the services and Kafka, so that they
                // drain against a live database. The library's own shutdown hook would stop it at once,
                // beside the owner's (hooks run together): the services' last commits then failed, and
                // event-service's shutdown waited 30 s for a connection.
                .setRegisterShutdownHook(false)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                // Durable: an event_ack means the event is on disk. The embedded library's defaults
                // (made for throw-away test databases) turn these off.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                // PostgreSQL's default of 128 MB is less than one device's catch-up over 100,000 events
                // reads (about 135 MB of table and index): each catch-up then read over half of its blocks
                // from the operating system's cache again (docs/performance.md). Shared memory is
                // taken as blocks are read, not at start.
                .setServerConfig("shared_buffers", SHARED_BUFFERS)
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (Statement s = c.createStatement()) {
                // The services connect with the documented default credentials.
                s.execute("ALTER USER postgres PASSWORD 'postgres'");
            }
            for (String database : databases) {
                createIfMissing(c, database);
            }
        }
        long pid = postmasterPid(dataDirectory);
        return new LocalPostgres(postgres, ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL's postmaster (pid " + pid + ") is not running")),
                dataDirectory, port, databases, log);
    }

    /**
     * Starts the server again on the same data directory and port once this one has died (the
     * supervisor's restart): crash recovery replays the write-ahead log, so every committed
     * transaction is there again.
     */
    public LocalPostgres restart() throws IOException, SQLException {
        close();
        return start(dataDirectory, port, databases, log);
    }

    private static void createIfMissing(Connection c, String database) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery(); Statement create = c.createStatement()) {
                if (!rs.next()) {
                    create.execute("CREATE DATABASE " + database);
                }
            }
        }
    }

    /** Creates {@code database} unless it exists; returns its JDBC URL (user and password {@code postgres}). */
    public String database(String database) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            createIfMissing(c, database);
        }
        return postgres.getJdbcUrl("postgres", database);
    }

    /** The server's settings {@code names} as it reports them ({@code SHOW}), in that order. */
    public Map<String, String> settings(List<String> names) throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String name : names) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    settings.put(name, rs.next() ? rs.getString(1) : null);
                }
            }
        }
        return settings;
    }

    /** The postmaster's process id; the server's other processes are its children. */
    public long pid() {
        return postmaster.pid();
    }

    private static long postmasterPid(Path dataDirectory) throws IOException {
        List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
        return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
    }

    @Override
    public boolean isAlive() {
        return postmaster.isAlive();
    }

    @Override
    public String exitDescription() {
        return isAlive() ? "running" : "the postmaster, pid " + postmaster.pid() + ", is gone";
    }

    @Override
    public String tail(int lines) {
        return ChildProcess.tail(log, lines);
    }

    /** A run that was killed leaves postmaster.pid behind; PostgreSQL refuses to start while it names a live process. */
    private static void removeStaleLock(Path dataDirectory) throws IOException {
        Path lock = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(lock)) {
            return;
        }
        long pid = postmasterPid(dataDirectory);
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("PostgreSQL (pid " + pid + ") still runs on " + dataDirectory
                    + ": is another run command active? Stop it first.");
        }
        Files.delete(lock);
    }

    /**
     * Stops the server. After a crash there is no server to stop, but the embedded library still
     * holds its lock on the data directory for this JVM, and a new server on that directory could
     * not start until it is released: the stale postmaster.pid goes first (so nothing is signalled),
     * then closing releases the lock.
     */
    @Override
    public void close() throws IOException {
        if (!isAlive()) {
            removeStaleLock(dataDirectory);
        }
        postgres.close();
    }
}
