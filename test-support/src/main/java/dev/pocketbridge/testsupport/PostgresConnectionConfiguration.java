package dev.pocketbridge.testsupport;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The shared PostgreSQL as {@link JdbcConnectionDetails}. The database is named after
 * {@code pocketbridge.test.database}, or the application name, so services never share tables.
 */
@TestConfiguration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails",
        "org.postgresql.Driver"})
class PostgresConnectionConfiguration {

    @Bean
    JdbcConnectionDetails sharedPostgresConnectionDetails(
            @Value("${pocketbridge.test.database:${spring.application.name}}") String name) {
        SharedPostgres.Database db = SharedPostgres.database(name.replace('-', '_'));
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return db.username();
            }

            @Override
            public String getPassword() {
                return db.password();
            }

            @Override
            public String getJdbcUrl() {
                return db.jdbcUrl();
            }
        };
    }
}
