package dev.pocketbridge.relay;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** relay-service: routes acks of stored events to their sender and fans events out to the user's other devices. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RelayServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(RelayServiceApplication.class, args);
    }

    /** The one clock of the service (event expiry); tests may replace it with a controllable one. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
