package dev.pocketbridge.testsupport;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Points a service under test at the JVM's shared PostgreSQL and Kafka. The database is named
 * after {@code pocketbridge.test.database}, or the application name, so services never share tables.
 */
@TestConfiguration(proxyBeanMethods = false)
public class InfrastructureConfiguration {

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

    @Bean
    KafkaConnectionDetails sharedKafkaConnectionDetails() {
        List<String> servers = List.of(SharedKafka.bootstrapServers());
        return () -> servers;
    }
}
