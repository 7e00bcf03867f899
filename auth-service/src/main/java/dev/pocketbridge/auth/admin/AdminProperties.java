package dev.pocketbridge.auth.admin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * The deployment's admin credentials ({@code pocketbridge.auth.admin}). Without a password or
 * password hash the admin token endpoint does not exist (404).
 *
 * @param username the HTTP Basic user name
 * @param passwordHash the password as a Spring Security encoded hash ({@code {bcrypt}…}; a bare hash is read as bcrypt); preferred
 * @param password the password in clear text, used only when no hash is given
 * @param tokenTtl lifetime of an admin access token
 */
@ConfigurationProperties("pocketbridge.auth.admin")
@Validated
record AdminProperties(
        @DefaultValue("admin") @NotBlank String username,
        String passwordHash,
        String password,
        @DefaultValue("5m") @NotNull Duration tokenTtl) {

    boolean enabled() {
        return hasText(passwordHash) || hasText(password);
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
