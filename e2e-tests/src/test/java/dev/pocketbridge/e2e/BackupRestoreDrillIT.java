package dev.pocketbridge.e2e;

import static dev.pocketbridge.e2e.Fixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.common.protocol.ServerFrame.EventAck;
import dev.pocketbridge.testsupport.ExternalTools;
import dev.pocketbridge.testsupport.FreePorts;
import dev.pocketbridge.testsupport.SharedPostgres;

/**
 * The restore drill of docs/backup-and-restore.md, run against the test JVM's embedded PostgreSQL
 * while the system serves traffic: {@code deploy/backup/pg-backup.sh} takes an online base backup
 * while a device keeps sending, {@code deploy/backup/restore-drill.sh} starts a scratch PostgreSQL on
 * it and checks it, and this test then reads the restored event log: every event acknowledged
 * before the backup began is there, with its sequence number.
 */
class BackupRestoreDrillIT {

    private static final String INSTALL = "Debian: apt-get install postgresql-client (.ci/run installs it)";

    @BeforeAll
    static void system() {
        RunningSystem.get();
    }

    @Test
    void anOnlineBackupTakenUnderTrafficRestoresWithEveryEventAcknowledgedBeforeIt() throws Exception {
        ExternalTools.require("psql", INSTALL);
        SharedPostgres.Database eventDb = SharedPostgres.database("pocketbridge_event");
        Path dataDirectory;
        Path binDirectory;
        try (Connection c = connect(eventDb.jdbcUrl(), eventDb)) {
            dataDirectory = Path.of(single(c, "SHOW data_directory"));
            Assumptions.assumeTrue(Files.isDirectory(dataDirectory),
                    "PostgreSQL runs in a container here; the drill needs the embedded server's data directory");
            // A backend's program is the server's own postgres binary, beside its pg_ctl.
            binDirectory = Path.of(ProcessHandle.of(Long.parseLong(single(c, "SELECT pg_backend_pid()")))
                    .flatMap(p -> p.info().command()).orElseThrow()).getParent();
        }

        Device device = Fixture.newUser(0, "backed-up");
        TreeMap<Long, String> acked = new TreeMap<>();
        Path work = Files.createTempDirectory("restore-drill");
        try (DeviceSession session = device.connect()) {
            for (int i = 0; i < 30; i++) {
                send(session, i, acked);
            }
            AtomicBoolean sending = new AtomicBoolean(true);
            CompletableFuture<Integer> during = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                while (sending.get()) {
                    // Whatever the answer: these only keep the log busy while it is copied.
                    session.sendAndAwait(note(session, 1000 + n++), WAIT);
                }
                return n;
            });
            Path backup = work.resolve("backup");
            try {
                Result taken = run(Map.of("PGPASSWORD", eventDb.password()), "deploy/backup/pg-backup.sh",
                        "--pgdata", dataDirectory.toString(), "--out", backup.toString(),
                        "--port", String.valueOf(URI.create(eventDb.jdbcUrl().substring(5)).getPort()),
                        "--user", eventDb.username());
                assertThat(taken.exit()).as("pg-backup.sh: %s", taken.output()).isZero();
            } finally {
                sending.set(false);
            }
            assertThat(during.get(30, TimeUnit.SECONDS)).as("events sent while the backup ran").isPositive();
            int port = FreePorts.pick();
            Result drill = run(Map.of(), "deploy/backup/restore-drill.sh", "--backup", backup.toString(),
                    "--bin-dir", binDirectory.toString(), "--port", String.valueOf(port),
                    "--report", work.resolve("report.tsv").toString(), "--keep-running");
            String scratch = drill.output().lines().filter(l -> l.startsWith("scratch="))
                    .map(l -> l.substring("scratch=".length())).findFirst().orElse(null);
            try {
                assertThat(drill.exit()).as("restore-drill.sh: %s", drill.output()).isZero();
                assertThat(drill.output()).contains("restore-drill: passed")
                        .contains("check\tpocketbridge_event\tno event above its user's head\tok");
                String restored = "jdbc:postgresql://127.0.0.1:" + port + "/pocketbridge_event";
                try (Connection c = connect(restored, eventDb);
                        PreparedStatement events = c.prepareStatement(
                                "SELECT seq, event_id::text FROM events WHERE user_id = ?::uuid AND seq <= ? ORDER BY seq")) {
                    events.setObject(1, device.identity().userId());
                    events.setLong(2, acked.lastKey());
                    Map<Long, String> found = new TreeMap<>();
                    try (ResultSet rs = events.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getLong(1), rs.getString(2));
                        }
                    }
                    assertThat(found).as("every event acknowledged before the backup, by seq").isEqualTo(acked);
                }
            } finally {
                if (scratch != null) {
                    run(Map.of(), "deploy/backup/restore-drill.sh", "--stop", scratch);
                }
            }
        }
    }

    private static ClientFrame.SendEvent note(DeviceSession session, int i) {
        return session.newEvent("notes", "note.v1", ("note " + i).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(DeviceSession session, int i, Map<Long, String> acked) {
        ClientFrame.SendEvent event = note(session, i);
        ServerFrame outcome = session.sendAndAwait(event, WAIT);
        assertThat(outcome).isInstanceOf(EventAck.class);
        acked.put(((EventAck) outcome).seq(), UUID.fromString(event.eventId()).toString());
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> environment, String script, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", RunningSystem.root().resolve(script).toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), output);
    }

    private static Connection connect(String url, SharedPostgres.Database credentials) throws SQLException {
        return DriverManager.getConnection(url, credentials.username(), credentials.password());
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

}
