package dev.pocketbridge.auth;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** auth-service: challenges, device tokens (ES256 JWT + rotating refresh tokens), JWKS, admin tokens, service tokens. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class AuthServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(AuthServiceApplication.class, args);
    }

    /** The one clock of the service; tests replace it with a controllable one. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
