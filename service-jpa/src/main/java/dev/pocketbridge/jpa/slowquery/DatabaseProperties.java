package dev.pocketbridge.jpa.slowquery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * {@code pocketbridge.db}: what every service with a database shares.
 *
 * @param slowQueryThreshold a statement that takes at least this long is logged at WARN (its SQL,
 *                           never its parameters) and counted in {@value SlowQueryListener#METRIC}
 */
@ConfigurationProperties("pocketbridge.db")
@Validated
public record DatabaseProperties(@DefaultValue("250ms") @NotNull Duration slowQueryThreshold) {
}
