package dev.pocketbridge.jpa.slowquery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.zaxxer.hikari.HikariDataSource;

import dev.pocketbridge.testsupport.SharedPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Every data source times its statements against real PostgreSQL: one at or above
 * {@code pocketbridge.db.slow-query-threshold} is counted, a quick one is not, and the pool behind
 * the proxy is still found (Boot's HikariCP metrics unwrap it).
 */
class SlowQueryAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SlowQueryAutoConfiguration.class))
            .withUserConfiguration(Pool.class);

    @Configuration(proxyBeanMethods = false)
    static class Pool {

        @Bean(destroyMethod = "close")
        HikariDataSource dataSource() {
            SharedPostgres.Database db = SharedPostgres.database("slow_queries");
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(db.jdbcUrl());
            pool.setUsername(db.username());
            pool.setPassword(db.password());
            pool.setPoolName("slow-queries-test");
            return pool;
        }

        @Bean
        MeterRegistry meters() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void aStatementAtOrAboveTheThresholdIsCountedAndAQuickOneIsNot() {
        runner.withPropertyValues("pocketbridge.db.slow-query-threshold=200ms").run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            execute(dataSource, "SELECT 1");
            context.getBean(MeterBinder.class).bindTo(meters); // as Boot's metrics auto-configuration does
            assertThat(meters.get(SlowQueryListener.METRIC).counter().count()).as("there from the start").isZero();

            execute(dataSource, "SELECT pg_sleep(0.3)");
            assertThat(meters.get(SlowQueryListener.METRIC).counter().count()).isEqualTo(1);

            assertThat(dataSource.isWrapperFor(HikariDataSource.class)).isTrue();
            assertThat(dataSource.unwrap(HikariDataSource.class).getPoolName()).isEqualTo("slow-queries-test");
        });
    }

    @Test
    void theThresholdDefaultsTo250Milliseconds() {
        runner.run(context -> assertThat(context.getBean(DatabaseProperties.class).slowQueryThreshold())
                .hasMillis(250));
    }

    private static void execute(DataSource dataSource, String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
