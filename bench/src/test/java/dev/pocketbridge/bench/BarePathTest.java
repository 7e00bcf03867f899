package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.testsupport.SharedKafka;
import dev.pocketbridge.testsupport.SharedPostgres;

/** The bare path against a real broker and a real PostgreSQL: every event through every hop, and its figures. */
class BarePathTest {

    @Test
    void everyEventIsStoredAckedAndDeliveredToTheUsersOtherDevicesAndTimed() throws Exception {
        SharedPostgres.Database db = SharedPostgres.database("bench_bare_path");
        Properties jdbc = new Properties();
        jdbc.put("user", db.username());
        jdbc.put("password", db.password());
        BarePath.Settings settings = new BarePath.Settings(SharedKafka.bootstrapServers(), db.jdbcUrl(), jdbc, 2, 3, 64);

        Results.BarePath bare = BarePath.run(settings, List.of(
                new BarePath.Phase(100, BarePipeline.Batching.SYSTEM, Duration.ofSeconds(1), Duration.ofSeconds(2)),
                new BarePath.Phase(200, BarePipeline.Batching.BATCHED, Duration.ofSeconds(1), Duration.ofSeconds(1))), 42, SystemCpu.NONE);

        assertThat(bare.error()).isNull();
        assertThat(bare.rates()).hasSize(2);
        Results.BareRate first = bare.rates().get(0);
        assertThat(first.sent()).isEqualTo(200);
        assertThat(first.acked()).isEqualTo(200);
        // fan-out 2: each event reaches the two other devices of its user, the sender only its ack
        assertThat(first.deliveriesExpected()).isEqualTo(400);
        assertThat(first.delivered()).isEqualTo(400);
        assertThat(first.complete()).isTrue();
        assertThat(first.ack().count()).isEqualTo(200);
        assertThat(first.delivery().count()).isEqualTo(400);
        assertThat(first.ack().p50Ms()).isPositive();
        assertThat(first.sendLag().count()).isEqualTo(200);
        assertThat(first.benchCpuSeconds()).isPositive();
        assertThat(first.cpu()).isNull(); // no system's processes to measure here
        assertThat(first.batching()).isEqualTo("the system's settings");
        Results.BareRate second = bare.rates().get(1);
        assertThat(second.batching()).isEqualTo("every hop batching for up to 20 ms");
        assertThat(second.sent()).isEqualTo(200);
        assertThat(second.complete()).isTrue();
        // each rate on a pipeline (and a table) of its own: the last one's events, warm-up included, were committed
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), jdbc); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM bare_events")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(200 + 200);
        }
    }
}
