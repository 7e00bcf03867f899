package dev.pocketbridge.testsupport;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Points a service under test at the JVM's shared PostgreSQL and Kafka, each only when the
 * service uses it (a service without JDBC never starts PostgreSQL, one without Kafka no broker).
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({PostgresConnectionConfiguration.class, KafkaConnectionConfiguration.class})
public class InfrastructureConfiguration {
}
