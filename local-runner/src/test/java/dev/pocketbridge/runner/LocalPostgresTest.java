package dev.pocketbridge.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pocketbridge.testsupport.FreePorts;

/**
 * The run command's PostgreSQL, killed for real and started again on its data directory in the
 * same JVM, as the supervisor does (the embedded library's lock on the directory used to make every
 * restart fail with an {@code OverlappingFileLockException}).
 */
class LocalPostgresTest {

    @TempDir
    Path dir;

    private LocalPostgres postgres;

    @AfterEach
    void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void runsDurablyWithTheCacheItIsGiven() throws Exception {
        postgres = LocalPostgres.start(dir.resolve("data"), FreePorts.pick(), List.of("pocketbridge_test"),
                dir.resolve("pg.log"));
        assertThat(postgres.settings(List.of("fsync", "synchronous_commit", "full_page_writes", "shared_buffers")))
                .containsExactly(entry("fsync", "on"), entry("synchronous_commit", "on"), entry("full_page_writes", "on"),
                        entry("shared_buffers", LocalPostgres.SHARED_BUFFERS));
    }

    @Test
    void afterEveryProcessOfItIsKilledItStartsAgainOnItsDataWithEveryCommittedRow() throws Exception {
        int port = FreePorts.pick();
        postgres = LocalPostgres.start(dir.resolve("data"), port, List.of("pocketbridge_test"), dir.resolve("pg.log"));
        String url = postgres.database("pocketbridge_test");
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v int)");
            s.execute("INSERT INTO t VALUES (42)");
        }

        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle postmaster = ProcessHandle.of(postgres.pid()).orElseThrow();
        all.add(postmaster);
        all.addAll(postmaster.descendants().toList());
        all.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(20)).until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(postgres.isAlive()).isFalse();

        postgres = postgres.restart();

        assertThat(postgres.isAlive()).isTrue();
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    /**
     * The run command stops PostgreSQL last, after the services that use it: nothing else may stop
     * it as the JVM shuts down (the embedded library's own shutdown hook did, beside the runner's).
     */
    @Test
    void onlyItsOwnerStopsItWhenTheJvmShutsDown() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process owner = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PostgresOwner.class.getName(), dir.resolve("data").toString(), Integer.toString(FreePorts.pick()),
                dir.resolve("pg.log").toString())
                .redirectErrorStream(true)
                .start();
        assertThat(owner.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(owner.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).contains("started").contains("up while the JVM shut down: true");
    }
}
