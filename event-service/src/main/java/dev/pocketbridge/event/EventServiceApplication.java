package dev.pocketbridge.event;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** event-service: the event log (validation, sequencing, storage, quota, retention), device cursors and replay pages. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class EventServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(EventServiceApplication.class, args);
    }

    /** The one clock of the service; tests replace it with a controllable one. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
