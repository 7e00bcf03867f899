package dev.pocketbridge.testsupport;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Replaces a service's system clock with a {@link TestClock}; import it in a shared integration-test base. */
@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {

    @Bean
    @Primary
    public TestClock testClock() {
        return new TestClock();
    }
}
