package dev.pocketbridge.device;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** device-service: users, devices (registration, names, limits), pairing, device credentials for the gateway. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class DeviceServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DeviceServiceApplication.class, args);
    }

    /** The one clock of the service; tests replace it with a controllable one. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
